using System.Text;
using System.Text.Json;
using Skiff.Linux;
using Skiff.Runtime.Cgroups;
using Skiff.Runtime.Hooks;
using Skiff.Runtime.Init;
using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Container;

/// <summary>
/// `create`: starts `oar init` from a read-only handle on the oar binary (it loads meanwhile), validates the bundle,
/// reserves the state directory, makes the cgroup, lets the init enter its namespaces, answers the constructor (id maps, child pid) and the managed init (hooks), and records
/// the container as created. On any failure everything made so far is undone.
/// </summary>
public static class Create
{
    public sealed record Result(ContainerRecord Record, RuntimeSpec Spec, IReadOnlyList<string> Warnings);

    public static Result Run(StateStore store, CreateOptions o, string oarBinary = "/proc/self/exe")
    {
        StateStore.ValidateId(o.Id);
        // The init's image loads on the other core while this process reads and checks the bundle.
        using var pending = InitLauncher.Spawn(oarBinary, o.PreserveFds, o.Subreaper);
        var bundle = Path.GetFullPath(o.Bundle);
        var configBytes = ReadConfig(bundle);
        var spec = SpecLoader.Parse(configBytes, Path.Combine(bundle, "config.json"));
        SpecValidator.Validate(spec, bundle, requireProcess: true);
        bool terminal = spec.Process!.Terminal;
        int consoleSocketFd = o.ConsoleSocketFd;
        if (terminal && o.ConsoleSocket is null && consoleSocketFd < 0 && o.ConsoleFactory is not null) consoleSocketFd = o.ConsoleFactory();
        if (terminal && o.ConsoleSocket is null && consoleSocketFd < 0)
            throw new RuntimeException("create", "process.terminal is set: a --console-socket is needed to receive the terminal");
        if (!terminal && (o.ConsoleSocket is not null || consoleSocketFd >= 0))
            throw new RuntimeException("create", "--console-socket given but process.terminal is false");
        var rootfs = Path.GetFullPath(spec.Root!.Path!, bundle);
        var seccomp = SeccompHandoff.Compile(spec.Linux?.Seccomp);

        store.Reserve(o.Id);
        ICgroupManager? cgroup = null;
        int initPid = -1;
        try
        {
            var record = new ContainerRecord
            {
                Id = o.Id, Bundle = bundle, Rootfs = rootfs, OciVersion = spec.OciVersion ?? "",
                Annotations = spec.Annotations, Created = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ"),
                CgroupsPath = CgroupsPath(spec, o.Id),
                OwnsPidNamespace = spec.Linux?.Namespaces?.Any(n => n.Type == "pid" && string.IsNullOrEmpty(n.Path)) ?? false,
                HasPoststartHooks = spec.Hooks?.Poststart is { Count: > 0 }, HasPoststopHooks = spec.Hooks?.Poststop is { Count: > 0 },
            };

            Files.Mkfifo(store.FifoPath(o.Id), 0x180 /* 0600 */);
            using var fifo = Files.Open(store.FifoPath(o.Id), Files.O_RDWR);
            using var console = terminal && consoleSocketFd < 0 ? Sockets.ConnectUnix(o.ConsoleSocket!) : Fd.None;
            File.WriteAllBytes(store.ConfigPath(o.Id), configBytes);
            cgroup = CgroupManagers.Open(record.CgroupsPath, o.SystemdCgroup);
            cgroup.Create();
            cgroup.Set(DeviceRules.WithDefaults(spec.Linux?.Resources));
            using var init = pending.Enter(Bootstrap.FromSpec(spec.Linux), cgroup, spec.Linux);
            initPid = init.Pid;
            var sync = init.Sync;
            record.Pid = initPid;
            record.PidStartTime = ProcStat.TryRead(initPid)?.StartTime ?? 0;
            init.Pass(SyncSocket.FifoRole, fifo.Value);
            if (terminal) init.Pass(SyncSocket.ConsoleRole, consoleSocketFd >= 0 ? consoleSocketFd : console.Value);

            var options = new InitOptions
            {
                Id = o.Id, Bundle = bundle, Rootfs = rootfs, NoPivot = o.NoPivot, NoNewKeyring = o.NoNewKeyring,
                PreserveFds = o.PreserveFds,
                StateJson = StateJson(record, "creating"), HasSeccomp = seccomp is not null,
            };
            sync.Send(SyncSocket.Options, RecordJson.Write(options));
            sync.Send(SyncSocket.Config, configBytes);
            if (seccomp is not null) SeccompHandoff.Send(sync, seccomp);
            AwaitCreated(sync, spec, options.StateJson);

            store.Save(record);
            if (o.PidFile is not null) PidFile.Write(o.PidFile, initPid);
            return new Result(record, spec, cgroup!.Warnings);
        }
        catch
        {
            if (initPid > 0)
            {
                Processes.Signal(initPid, Processes.SIGKILL);
                if (o.Subreaper) Processes.Wait(initPid, out _);
            }
            try { cgroup?.Destroy(); } catch (Exception) { }
            store.Remove(o.Id);
            throw;
        }
    }

    /// <summary>Serves the managed init (prestart/createRuntime hooks) until it reports the container created.</summary>
    static void AwaitCreated(SyncSocket sync, RuntimeSpec spec, string stateJson)
    {
        while (true)
        {
            var (kind, payload, passed) = sync.ReceiveWithFd();
            switch (kind)
            {
                case SyncSocket.Listener:
                    SeccompHandoff.ForwardListener(sync, passed, spec.Linux?.Seccomp, stateJson);
                    break;
                case SyncSocket.RunHooks:
                    try
                    {
                        HookRunner.RunAll(spec.Hooks?.Prestart, "prestart", stateJson);
                        HookRunner.RunAll(spec.Hooks?.CreateRuntime, "createRuntime", stateJson);
                    }
                    catch (Exception e) { sync.Send(SyncSocket.Error, e.Message); throw; }
                    sync.Send(SyncSocket.Ack);
                    break;
                case SyncSocket.Created:
                    return;
                case SyncSocket.Error:
                    throw new InitFailedException(Encoding.UTF8.GetString(payload));
                default:
                    throw new RuntimeException("create", "the container's init exited before the container was created");
            }
        }
    }

    public static string StateJson(ContainerRecord r, string status) => RecordJson.State(new ContainerStateJson
    {
        OciVersion = r.OciVersion, Id = r.Id, Pid = r.Pid, Status = status, Bundle = r.Bundle, Annotations = r.Annotations,
    });

    static byte[] ReadConfig(string bundle)
    {
        var path = Path.Combine(bundle, "config.json");
        try { return File.ReadAllBytes(path); }
        catch (FileNotFoundException) { throw new SpecException(path, "no such file (is the bundle path right?)"); }
        catch (DirectoryNotFoundException) { throw new SpecException(bundle, "bundle directory does not exist"); }
    }

    public static string CgroupsPath(RuntimeSpec spec, string id)
        => string.IsNullOrEmpty(spec.Linux?.CgroupsPath) ? "/" + id : spec.Linux!.CgroupsPath!;
}
