using System.Text;
using Skiff.Linux;
using Skiff.Runtime.Cgroups;
using Skiff.Runtime.Init;
using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Container;

/// <summary>`exec`: a new process in every namespace and the cgroup of a running container, with the container's
/// security context (seccomp, no_new_privs, capabilities as given). Returns the new process's pid.</summary>
public static class Exec
{
    public static int Run(StateStore store, ExecOptions o, string oarBinary = "/proc/self/exe")
    {
        // The process's image loads on the other core while this one reads the container's state.
        using var pending = InitLauncher.Spawn(oarBinary, o.PreserveFds, subreaper: !o.Detach);
        var record = store.Load(o.Id);
        var status = ContainerStatus.Of(record, store);
        if (status is Status.Stopped) throw new RuntimeException("exec", $"cannot exec in a stopped container");
        if (status is Status.Paused) throw new RuntimeException("exec", $"cannot exec in a paused container");
        var configBytes = File.ReadAllBytes(store.ConfigPath(o.Id));
        var spec = SpecLoader.Parse(configBytes, store.ConfigPath(o.Id));
        var process = spec.Process = o.Process(spec);
        ValidateProcess(process);
        var seccomp = SeccompHandoff.Compile(spec.Linux?.Seccomp);
        bool terminal = process.Terminal;
        if (terminal && o.ConsoleSocket is null && o.ConsoleSocketFd < 0)
            throw new RuntimeException("exec", "--tty needs a --console-socket to receive the terminal (or run in the foreground)");

        var bootstrap = new Bootstrap();
        foreach (var ns in spec.Linux?.Namespaces ?? [])
            bootstrap.Joins.Add((Namespaces.Flag(ns.Type!), $"/proc/{record.Pid}/ns/{Namespaces.ProcName(ns.Type!)}"));

        using var console = terminal && o.ConsoleSocketFd < 0 ? Sockets.ConnectUnix(o.ConsoleSocket!) : Fd.None;
        // Re-check right before joining: the pid must still be the container's init.
        if (!ContainerStatus.IsAlive(record.Pid, record.PidStartTime)) throw new RuntimeException("exec", "the container stopped");
        using var init = pending.Enter(bootstrap, record.CgroupsPath is null ? null : CgroupManagers.Open(record.CgroupsPath), spec.Linux);
        if (terminal) init.Pass(SyncSocket.ConsoleRole, o.ConsoleSocketFd >= 0 ? o.ConsoleSocketFd : console.Value);
        var options = new InitOptions
        {
            Kind = "exec", Id = o.Id, Bundle = record.Bundle, Rootfs = record.Rootfs, PreserveFds = o.PreserveFds,
            HasSeccomp = seccomp is not null, StateJson = Create.StateJson(record, "running"),
        };
        init.Sync.Send(SyncSocket.Options, RecordJson.Write(options));
        // The exec'd process needs only its own process object (below) and the compiled seccomp filter: not re-parsing
        // the container's whole config.json in the new process is a cold JSON parse saved on every exec.
        init.Sync.Send(SyncSocket.Config, "{}"u8);
        init.Sync.Send(SyncSocket.ProcessJson, ProcessWriter.Write(process));
        if (seccomp is not null) SeccompHandoff.Send(init.Sync, seccomp);
        // Success is silence: the sync socket is close-on-exec, so it reads end-of-file once execve succeeded.
        var (kind, payload, passed) = init.Sync.ReceiveWithFd();
        if (kind == SyncSocket.Listener)
        {
            SeccompHandoff.ForwardListener(init.Sync, passed, spec.Linux?.Seccomp, options.StateJson);
            (kind, payload) = init.Sync.Receive();
        }
        if (kind == SyncSocket.Error)
        {
            if (!o.Detach) Processes.Wait(init.Pid, out _);
            throw new InitFailedException(Encoding.UTF8.GetString(payload));
        }
        if (o.PidFile is not null) PidFile.Write(o.PidFile, init.Pid);
        return init.Pid;
    }

    static void ValidateProcess(Spec.Process p)
    {
        if (p.Args is not { Count: > 0 }) throw new SpecException("process.args", "must name the program to run");
        if (!string.IsNullOrEmpty(p.Cwd) && !p.Cwd.StartsWith('/')) throw new SpecException("process.cwd", $"\"{p.Cwd}\" must be an absolute path");
        foreach (var set in new[] { p.Capabilities?.Bounding, p.Capabilities?.Effective, p.Capabilities?.Permitted, p.Capabilities?.Inheritable, p.Capabilities?.Ambient })
            foreach (var c in set ?? [])
                if (Capabilities.Number(c) < 0) throw new SpecException("process.capabilities", $"unknown capability \"{c}\"");
    }
}
