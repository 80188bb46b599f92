using System.Text.Json;
using Skiff.Engine.Runtimes;
using Skiff.Engine.Shims;
using Skiff.Engine.Specs;
using Skiff.Linux;
using Skiff.Runtime.Spec;
using Skiff.Shim.Protocol;

namespace Skiff.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>docker start: mount the writable snapshot, write the OCI spec, hand the container to a new shim.
    /// Starting a running container does nothing. On failure the container stays "created"/"exited" with State.Error set
    /// and nothing mounted.</summary>
    public ContainerRecord Start(string nameOrId)
    {
        var id = Store.Resolve(nameOrId);
        using var lk = Store.Lock(id);
        var rec = Refresh(Store.Load(id), locked: true);
        if (rec.State.Paused) throw EngineException.Conflict("cannot start a paused container, try unpause instead");
        if (rec.State.Running) return rec;
        if (rec.State.Status == "removing" || rec.State.Dead) throw EngineException.Conflict($"container {rec.ShortId} is marked for removal and cannot be started");
        StartLocked(rec);
        return rec;
    }

    void StartLocked(ContainerRecord rec)
    {
        var dir = Store.Dir(rec.Id);
        var own = rec.Own;
        var rootfs = Path.Combine(dir, "rootfs");
        var bundle = Path.Combine(dir, "bundle");
        var runtime = new OciRuntime(own.RuntimePath, own.RuntimeRoot);
        bool mountedHere = false;
        try
        {
            // Debris of an earlier run (a crash between steps): the runtime's state and the rootfs mount.
            runtime.DeleteIfPresent(rec.Id);
            if (!own.RootfsMounted || !IsMountPoint(rootfs))
            {
                Directory.CreateDirectory(rootfs);
                foreach (var m in _engine.Images.Snapshots.Mounts(own.SnapshotKey)) m.MountOn(rootfs);
                own.RootfsMounted = mountedHere = true;
            }
            ContainerFiles.Write(rec);
            var net = NetworkFor(rec);
            Skiff.Runtime.Spec.Seccomp? seccomp = null;
            var sec = SecurityOptions.Parse(rec.HostConfig.SecurityOpt);
            if (sec.SeccompFile is not null) seccomp = SeccompProfileFile.Load(sec.SeccompFile);
            var spec = SpecBuilder.Build(new SpecInputs
            {
                Container = rec,
                Rootfs = rootfs,
                UserMounts = Volumes.ForSpec(rec, rootfs),
                NetworkNamespace = net.Path,
                HostNetwork = net.Host,
                InitBinary = rec.HostConfig.Init == true ? RuntimeLocator.FindInit() : null,
                SeccompOverride = seccomp,
                CgroupV2 = File.Exists("/sys/fs/cgroup/cgroup.controllers"),
            });
            Directory.CreateDirectory(bundle);
            Images.Metadata.AtomicFile.Write(Path.Combine(bundle, "config.json"), JsonSerializer.SerializeToUtf8Bytes(spec, SpecJson.Default.RuntimeSpec));

            var cfg = ShimConfigFor(rec);
            var started = ShimLauncher.Start(cfg, ShimLauncher.FindBinary());
            var state = ShimFiles.ReadState(cfg.StatePath);
            own.ShimPid = started.ShimPid;
            own.StoppedByUser = false;
            rec.State = new ContainerState
            {
                Status = "running", Running = true, Pid = started.ContainerPid,
                StartedAt = Timestamps.Format(state?.StartedAt is { } s && s != default ? new DateTimeOffset(DateTime.SpecifyKind(s, DateTimeKind.Utc)) : DateTimeOffset.UtcNow),
                FinishedAt = rec.State.FinishedAt,
            };
            rec.RestartCount = 0;
            Store.Save(rec);
            _engine.Events.Append("container", "start", rec.Id, EventAttributes(rec));
        }
        catch (Exception e)
        {
            try { TeardownNetwork(rec); } catch { }
            if (mountedHere || own.RootfsMounted) { UnmountRootfs(rec); }
            var (code, message) = StartFailure(e);
            rec.State.Error = message;
            rec.State.ExitCode = code;
            if (rec.State.Status != "created") rec.State.Status = "exited";
            rec.State.Running = false;
            Store.Save(rec);
            if (e is EngineException ee && ee.Kind != EngineErrorKind.System) throw;
            throw new StartFailedException(code, message, e);
        }
    }

    /// <summary>docker's exit codes for a container that could not start: 127 when the command is not found, 126 when
    /// it cannot be executed, 128 otherwise.</summary>
    static (int Code, string Message) StartFailure(Exception e)
    {
        var msg = e.Message.Trim();
        if (e is StartCheckException sc) return (sc.ExitCode, $"failed to create task for container: failed to create shim task: OCI runtime create failed: {msg}: unknown");
        int code = 128;
        if (msg.Contains("ENOENT") || msg.Contains("no such file or directory") || msg.Contains("not found"))
            code = 127;
        else if (msg.Contains("EACCES") || msg.Contains("permission denied") || msg.Contains("ENOEXEC") || msg.Contains("exec format error") || msg.Contains("EISDIR"))
            code = 126;
        if (e is ShimStartException) msg = $"failed to create task for container: {msg}";
        return (code, msg);
    }

    ShimConfig ShimConfigFor(ContainerRecord rec)
    {
        var dir = Store.Dir(rec.Id);
        var hc = rec.HostConfig;
        var cfg = rec.Config;
        long maxSize = hc.LogConfig.Config.TryGetValue("max-size", out var ms) ? Sizes.Parse(ms, "log-opt max-size") : 0;
        int maxFiles = hc.LogConfig.Config.TryGetValue("max-file", out var mf) && int.TryParse(mf, out var n) ? n : 1;
        var sockDir = dir;
        if (Path.Combine(dir, "control.sock").Length >= 100)
        {
            sockDir = Path.Combine(Roots.RunRoot, "shims", rec.Id[..12]);
            Directory.CreateDirectory(sockDir);
        }
        return new ShimConfig
        {
            Id = rec.Id,
            BundlePath = Path.Combine(dir, "bundle"),
            RuntimePath = rec.Own.RuntimePath,
            RuntimeRoot = rec.Own.RuntimeRoot,
            Terminal = cfg.Tty,
            OpenStdin = cfg.OpenStdin,
            StdinOnce = cfg.StdinOnce,
            LogDriver = hc.LogConfig.Type == "none" ? "none" : "json-file",
            LogPath = Path.Combine(dir, $"{rec.Id}-json.log"),
            LogMaxSize = maxSize,
            LogMaxFiles = maxFiles,
            AttachSocketPath = Path.Combine(sockDir, "attach.sock"),
            ControlSocketPath = Path.Combine(sockDir, "control.sock"),
            ExitPath = Path.Combine(dir, "exit.json"),
            StatePath = Path.Combine(dir, "shim-state.json"),
            RestartPolicy = new Skiff.Shim.Protocol.RestartPolicy { Name = hc.RestartPolicy.Name, MaximumRetryCount = hc.RestartPolicy.MaximumRetryCount },
            HeldPorts = HeldPorts(rec),
            ExitCommand = hc.AutoRemove && _engine.ExitCommand is { Count: > 0 } x ? [.. x, rec.Id] : [],
        };
    }

    internal ShimConfig? ShimConfigOf(ContainerRecord rec) => ShimConfigOf(rec.Id);

    static bool IsMountPoint(string path)
    {
        try
        {
            var a = Files.StatAt(Files.AT_FDCWD, path, Files.AT_SYMLINK_NOFOLLOW);
            var b = Files.StatAt(Files.AT_FDCWD, Path.Combine(path, ".."), 0);
            if (a.Dev != b.Dev) return true;
            foreach (var line in File.ReadLines("/proc/self/mountinfo"))
            {
                var f = line.Split(' ');
                if (f.Length > 4 && f[4] == path) return true;
            }
            return false;
        }
        catch (LinuxException) { return false; }
    }

    void UnmountRootfs(ContainerRecord rec)
    {
        var rootfs = Path.Combine(Store.Dir(rec.Id), "rootfs");
        while (IsMountPoint(rootfs))
            if (Mounts.TryUnmount(rootfs, 0) != 0 && Mounts.TryUnmount(rootfs, Mounts.MNT_DETACH) != 0) break;
        rec.Own.RootfsMounted = false;
    }

    static Dictionary<string, string> EventAttributes(ContainerRecord rec)
    {
        var a = new Dictionary<string, string>(rec.Config.Labels) { ["image"] = rec.Config.Image, ["name"] = rec.PlainName };
        return a;
    }
}

/// <summary>The container could not be started; <see cref="ExitCode"/> is docker's (126, 127 or 128).</summary>
public sealed class StartFailedException(int exitCode, string message, Exception inner) : EngineException(EngineErrorKind.System, message, inner)
{
    public int ExitCode { get; } = exitCode;
}
