using System.Text;
using System.Text.Json;
using Skiff.Linux;
using Skiff.Runtime.Cgroups;
using Skiff.Runtime.Hooks;
using Skiff.Runtime.Init;
using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Container;

/// <summary>
/// `create`: validates the bundle, reserves the state directory, makes the cgroup, starts `oar init` from a sealed
/// copy of the oar binary, answers the constructor (id maps, child pid) and the managed init (hooks), and records
/// the container as created. On any failure everything made so far is undone.
/// </summary>
public static class Create
{
    public sealed record Result(ContainerRecord Record, RuntimeSpec Spec);

    public static Result Run(StateStore store, CreateOptions o, string oarBinary = "/proc/self/exe")
    {
        StateStore.ValidateId(o.Id);
        var bundle = Path.GetFullPath(o.Bundle);
        var configBytes = ReadConfig(bundle);
        var spec = SpecLoader.Parse(configBytes, Path.Combine(bundle, "config.json"));
        SpecValidator.Validate(spec, bundle, requireProcess: true);
        if (o.ConsoleSocket is not null || spec.Process!.Terminal)
            throw new RuntimeException("create", "terminals (process.terminal / --console-socket) are not supported by this version of oar yet");
        var rootfs = Path.GetFullPath(spec.Root!.Path!, bundle);

        store.Reserve(o.Id);
        ICgroupManager? cgroup = null;
        int initPid = -1;
        try
        {
            File.WriteAllBytes(store.ConfigPath(o.Id), configBytes);
            var record = new ContainerRecord
            {
                Id = o.Id, Bundle = bundle, Rootfs = rootfs, OciVersion = spec.OciVersion ?? "",
                Annotations = spec.Annotations, Created = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ"),
                CgroupsPath = CgroupsPath(spec, o.Id),
                OwnsPidNamespace = spec.Linux?.Namespaces?.Any(n => n.Type == "pid" && string.IsNullOrEmpty(n.Path)) ?? false,
            };
            cgroup = CgroupManagers.Open(record.CgroupsPath, o.SystemdCgroup);
            cgroup.Create();
            if (spec.Linux?.Resources is { } res) cgroup.Set(res);

            Files.Mkfifo(store.FifoPath(o.Id), 0x180 /* 0600 */);
            using var fifo = Files.Open(store.FifoPath(o.Id), Files.O_RDWR);
            var (parentSock, childSock) = Sockets.Pair();
            using var sync = new SyncSocket(parentSock);
            using var exe = Memfd.SealedCopy(oarBinary, "oar");

            if (o.Subreaper) Processes.Prctl(Processes.PR_SET_CHILD_SUBREAPER, 1);
            int syncFdInChild = 3 + o.PreserveFds, fifoFdInChild = syncFdInChild + 1;
            var fds = new List<(int, int)> { (0, 0), (1, 1), (2, 2) };
            for (int i = 0; i < o.PreserveFds; i++) fds.Add((3 + i, 3 + i));
            fds.Add((syncFdInChild, childSock.Value));
            fds.Add((fifoFdInChild, fifo.Value));
            int stage1;
            using (childSock)
                stage1 = Processes.Spawn($"/proc/self/fd/{exe.Value}", ["oar", "init"], [$"_OAR_INIT={syncFdInChild}"], fds);

            try
            {
                cgroup.Apply(stage1);
                sync.SendRaw(Bootstrap.FromSpec(spec.Linux).Encode());
                initPid = AwaitInitPid(sync, spec);
            }
            finally { Processes.Wait(stage1, out _); }
            record.Pid = initPid;
            record.PidStartTime = ProcStat.TryRead(initPid)?.StartTime ?? 0;

            var options = new InitOptions
            {
                Id = o.Id, Bundle = bundle, Rootfs = rootfs, NoPivot = o.NoPivot, NoNewKeyring = o.NoNewKeyring,
                FifoFd = fifoFdInChild, PreserveFds = o.PreserveFds,
                StateJson = StateJson(record, "creating"),
            };
            sync.Send(SyncSocket.Options, JsonSerializer.SerializeToUtf8Bytes(options, RuntimeJson.Default.InitOptions));
            sync.Send(SyncSocket.Config, configBytes);
            AwaitCreated(sync, spec, options.StateJson);

            store.Save(record);
            if (o.PidFile is not null) WritePidFile(o.PidFile, initPid);
            return new Result(record, spec);
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

    /// <summary>Answers the C constructor until it reports the final child's pid.</summary>
    static int AwaitInitPid(SyncSocket sync, RuntimeSpec spec)
    {
        while (true)
        {
            var (type, value, text) = sync.ReceiveNative();
            switch (type)
            {
                case SyncSocket.UsermapRequest:
                    try { IdMaps.Write(value, spec.Linux!); }
                    catch { sync.SendNative(SyncSocket.UsermapAck, 1); throw; }
                    sync.SendNative(SyncSocket.UsermapAck, 0);
                    break;
                case SyncSocket.ChildPid:
                    return value;
                case SyncSocket.NativeError:
                    throw new RuntimeException("create: " + text.Replace("nsenter: ", ""), $"{Errno.Name(value)} ({Errno.Describe(value)})");
                default:
                    throw new RuntimeException("create", "oar init exited before entering the namespaces");
            }
        }
    }

    /// <summary>Serves the managed init (prestart/createRuntime hooks) until it reports the container created.</summary>
    static void AwaitCreated(SyncSocket sync, RuntimeSpec spec, string stateJson)
    {
        while (true)
        {
            var (kind, payload) = sync.Receive();
            switch (kind)
            {
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

    public static string StateJson(ContainerRecord r, string status) => JsonSerializer.Serialize(new ContainerStateJson
    {
        OciVersion = r.OciVersion, Id = r.Id, Pid = r.Pid, Status = status, Bundle = r.Bundle, Annotations = r.Annotations,
    }, CompactJson.Default.ContainerStateJson);

    static void WritePidFile(string path, int pid)
    {
        var full = Path.GetFullPath(path);
        var tmp = Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full) + ".tmp");
        File.WriteAllText(tmp, pid.ToString());
        File.Move(tmp, full, overwrite: true);
    }

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
