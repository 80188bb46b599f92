using System.Text;
using System.Text.Json;
using Skiff.Linux;
using Skiff.Runtime.Hooks;
using Skiff.Runtime.Init.Process;
using Skiff.Runtime.Init.Rootfs;
using Skiff.Runtime.Seccomp;
using Skiff.Runtime.Spec;
using static Skiff.Linux.Mounts;

namespace Skiff.Runtime.Init;

/// <summary>
/// The container's init, running inside its namespaces (the C constructor put it there): builds the root
/// filesystem, reports "created", waits on the exec fifo for `start`, then takes the container's identity and
/// execs the user process. Errors before "created" go to the parent over the sync socket.
/// </summary>
public static class ContainerInit
{
    public static int Run(int syncFd)
    {
        using var sync = new SyncSocket(new Fd(syncFd));
        InitOptions options;
        RuntimeSpec spec;
        SeccompProgram? seccomp = null;
        string exe;
        List<string> env;
        try
        {
            int fifoFd = -1, consoleFd = -1;
            var (k1, p1, passed) = sync.ReceiveWithFd();
            while (k1 == SyncSocket.PassedFd && p1.Length == 1)
            {
                if (p1[0] == SyncSocket.FifoRole) fifoFd = passed.Release();
                else if (p1[0] == SyncSocket.ConsoleRole) consoleFd = passed.Release();
                else passed.Dispose();
                (k1, p1, passed) = sync.ReceiveWithFd();
            }
            passed.Dispose();
            var (k2, p2) = sync.Receive();
            if (k1 != SyncSocket.Options || k2 != SyncSocket.Config) return 1; // the parent went away
            options = Container.RecordJson.ReadInitOptions(p1);
            options.FifoFd = fifoFd;
            options.ConsoleFd = consoleFd;
            spec = SpecLoader.Parse(p2);
            if (options.Kind == "exec")
            {
                var (k3, p3) = sync.Receive();
                if (k3 != SyncSocket.ProcessJson) return 1;
                spec.Process = SpecLoader.Read(p3, "exec process", e => SpecReader.Process(e, "process"));
            }
            if (options.HasSeccomp) seccomp = SeccompHandoff.Receive(sync);
            if (options.Kind == "exec") return ExecProcess(sync, options, spec, seccomp);
            (exe, env) = Prepare(sync, options, spec);
            if (seccomp is { HasNotify: true })
            {
                // The listener must reach the parent while it still waits: install now, not after start.
                SeccompHandoff.InstallWithListener(sync, seccomp);
                seccomp = null;
            }
        }
        catch (Exception e)
        {
            try { sync.Send(SyncSocket.Error, Describe(e)); } catch (LinuxException) { }
            return 1;
        }
        sync.Send(SyncSocket.Created);
        sync.Dispose();

        try
        {
            WaitForStart(options.FifoFd);
            HookRunner.RunAll(spec.Hooks?.StartContainer, "startContainer", options.StateJson);
            FinishAndExec(spec, options, exe, env, seccomp);
            return 1;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"oar: start: {Describe(e)}");
            return e is RuntimeException { Step: var step } && step.StartsWith("exec ") ? 127 : 1;
        }
    }

    /// <summary>`oar exec`: already in every namespace of the container (the C constructor joined them); take the
    /// process's identity and exec. Success is seen by the parent as the sync socket closing on exec.</summary>
    static int ExecProcess(SyncSocket sync, InitOptions o, RuntimeSpec spec, SeccompProgram? seccomp)
    {
        try
        {
            var (exe, env) = PrepareProcess(o, spec.Process!);
            if (o.ConsoleFd >= 0) Terminal.Setup(o.ConsoleFd, spec.Process!.ConsoleSize);
            if (seccomp is { HasNotify: true })
            {
                SeccompHandoff.InstallWithListener(sync, seccomp);
                seccomp = null;
            }
            FinishAndExec(spec, o, exe, env, seccomp);
            return 1;
        }
        catch (Exception e)
        {
            try { sync.Send(SyncSocket.Error, Describe(e)); } catch (LinuxException) { }
            return 1;
        }
    }

    /// <summary>The last steps of every container process: seccomp, identity, umask, fds, execve.
    /// Without no_new_privs installing a filter needs CAP_SYS_ADMIN, so it goes in before the capabilities are
    /// dropped (as runc); with no_new_privs it goes in as late as possible, after them.</summary>
    static void FinishAndExec(RuntimeSpec spec, InitOptions o, string exe, List<string> env, SeccompProgram? seccomp)
    {
        var process = spec.Process!;
        if (seccomp is not null && !process.NoNewPrivileges) seccomp.Install().Dispose();
        ProcessCredentials.Apply(process);
        if (seccomp is not null && process.NoNewPrivileges) seccomp.Install().Dispose();
        if (process.User?.Umask is uint umask) Files.Umask(umask);
        Host.CloseRange(3 + o.PreserveFds, cloexecOnly: true);
        int err = Host.Exec(exe, process.Args!, env);
        throw new RuntimeException($"exec {exe}", $"{Errno.Name(err)} ({Errno.Describe(err)})");
    }

    /// <summary>HOME, the working directory (checked to be inside the root), the executable's path, rlimits.</summary>
    static (string Exe, List<string> Env) PrepareProcess(InitOptions o, Spec.Process process)
    {
        var env = process.Env ?? [];
        if (!env.Any(e => e.StartsWith("HOME=", StringComparison.Ordinal)))
            env = [.. env, "HOME=" + HomeDirectory.Of(process.User?.Uid ?? 0)];
        var cwd = string.IsNullOrEmpty(process.Cwd) ? "/" : process.Cwd;
        // CVE-2024-21626: every inherited fd but stdio and the preserved ones is closed on exec, and the
        // working directory is entered by its path inside the new root, then checked to be inside it.
        Host.Chdir(cwd);
        var here = Directory.GetCurrentDirectory();
        if (!here.StartsWith('/') || here.Contains("(unreachable)"))
            throw new RuntimeException("chdir", $"{cwd} is outside the container's root");
        var exe = ExecutableLookup.Find(process.Args![0], env);
        // Limits are set (and capabilities checked) before "created", as runc does, so a refusal fails create and
        // reaches the engine through the --log file instead of the container's stderr after start.
        ResourceLimits.Apply(process.Rlimits);
        ProcessCredentials.Check(process);
        return (exe, env);
    }

    static string Describe(Exception e) => e is RuntimeException or LinuxException or InitFailedException or SpecException
        ? e.Message : $"{e.GetType().Name}: {e.Message}";

    static (string Exe, List<string> Env) Prepare(SyncSocket sync, InitOptions o, RuntimeSpec spec)
    {
        var linux = spec.Linux ?? new Spec.Linux();
        var namespaces = linux.Namespaces ?? [];
        bool Has(string t) => namespaces.Any(n => n.Type == t);
        bool New(string t) => namespaces.Any(n => n.Type == t && string.IsNullOrEmpty(n.Path));
        bool userns = Has("user");

        if (Has("mount")) BuildRootfs(sync, o, spec, userns, New("cgroup"));
        else
        {
            AskParentForHooks(sync);
            HookRunner.RunAll(spec.Hooks?.CreateContainer, "createContainer", o.StateJson);
        }

        if (spec.Hostname is { Length: > 0 } hn) Host.SetHostname(hn);
        if (spec.Domainname is { Length: > 0 } dn) Host.SetDomainname(dn);
        // Sysctls go in before /proc/sys is made read-only (docker sets net.ipv4.ip_unprivileged_port_start
        // and lists /proc/sys among readonlyPaths), as runc orders them.
        Sysctls.Apply(linux.Sysctl);
        if (Has("mount")) ProtectRootfs(spec);
        if (spec.Process!.OomScoreAdj is int oom) Files.WriteText("/proc/self/oom_score_adj", oom.ToString());
        if (!o.NoNewKeyring) SessionKeyring.Join(o.Id);

        var (exe, env) = PrepareProcess(o, spec.Process!);
        if (o.ConsoleFd >= 0) Terminal.Setup(o.ConsoleFd, spec.Process!.ConsoleSize);
        return (exe, env);
    }

    static void BuildRootfs(SyncSocket sync, InitOptions o, RuntimeSpec spec, bool userns, bool newCgroupNs)
    {
        var linux = spec.Linux ?? new Spec.Linux();
        // Keep mount events from leaking back to the host, then make the root a mount point of its own.
        ulong propagation = linux.RootfsPropagation switch
        {
            null or "" => MS_SLAVE | MS_REC,
            var p => MountOptions.Parse([p]).Propagation is var f and not 0
                ? f : throw new RuntimeException("linux.rootfsPropagation", $"unknown propagation \"{p}\""),
        };
        // pivot_root refuses a shared parent: a shared root propagation is set only after the pivot.
        bool shared = (propagation & MS_SHARED) != 0;
        Mount(null, "/", null, shared ? MS_SLAVE | MS_REC : propagation, null, "/");
        Mount(o.Rootfs, o.Rootfs, null, MS_BIND | MS_REC, null, o.Rootfs);

        using var rootFd = Files.Open(o.Rootfs, Files.O_PATH | Files.O_DIRECTORY);
        var root = new PathInRoot(rootFd.Value, o.Rootfs);
        bool devBound = false, devPts = false;
        foreach (var m in spec.Mounts ?? [])
        {
            var dest = MountEntry.Clean(m.Destination!);
            MountEntry.Apply(root, m, userns, Container.Create.CgroupsPath(spec, o.Id), newCgroupNs);
            if (dest == "/dev" && (m.Type == "bind" || (m.Options?.Contains("bind") ?? false) || (m.Options?.Contains("rbind") ?? false))) devBound = true;
            if (dest == "/dev/pts") devPts = true;
        }
        if (!devBound) DeviceNodes.Create(root, linux.Devices, userns, devPts);

        AskParentForHooks(sync);
        HookRunner.RunAll(spec.Hooks?.CreateContainer, "createContainer", o.StateJson);

        Rootfs.PivotRoot.Enter(o.Rootfs, o.NoPivot);
        // A shared root propagation is applied after the pivot (the root is a new mount now).
        if (shared) Mount(null, "/", null, propagation, null, "/");
    }

    /// <summary>The last rootfs steps, after hostname and sysctls: masked and read-only paths, a read-only root.</summary>
    static void ProtectRootfs(RuntimeSpec spec)
    {
        var linux = spec.Linux ?? new Spec.Linux();
        using var newRoot = Files.Open("/", Files.O_PATH | Files.O_DIRECTORY);
        var inside = new PathInRoot(newRoot.Value, "/");
        ProtectedPaths.Mask(inside, linux.MaskedPaths);
        ProtectedPaths.MakeReadonly(inside, linux.ReadonlyPaths);
        if (spec.Root!.Readonly) MountEntry.Remount("/", MS_RDONLY, "/ (root.readonly)");
    }

    static void AskParentForHooks(SyncSocket sync)
    {
        sync.Send(SyncSocket.RunHooks);
        var (kind, payload) = sync.Receive();
        if (kind == SyncSocket.Ack) return;
        throw new InitFailedException(kind == SyncSocket.Error ? Encoding.UTF8.GetString(payload) : "the parent went away");
    }

    /// <summary>Blocks until `oar start` writes to the exec fifo (init holds it open read-write, so the
    /// writer's open never blocks and the read waits for the byte).</summary>
    static void WaitForStart(int fifoFd)
    {
        Span<byte> b = stackalloc byte[1];
        int n = Files.Read(fifoFd, b);
        Files.Close(fifoFd);
        if (n != 1) throw new RuntimeException("start", "exec fifo closed without a start signal");
    }
}
