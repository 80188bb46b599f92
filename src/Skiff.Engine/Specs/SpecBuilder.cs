using Skiff.Engine.Containers;
using Skiff.Runtime.Spec;

namespace Skiff.Engine.Specs;

/// <summary>What a container's OCI spec is built from, besides its record.</summary>
public sealed record SpecInputs
{
    public required ContainerRecord Container { get; init; }
    /// <summary>The mounted writable snapshot.</summary>
    public required string Rootfs { get; init; }
    /// <summary>User mounts with host sources resolved (volumes to their _data directories), in order.</summary>
    public IReadOnlyList<Mount> UserMounts { get; init; } = [];
    /// <summary>"host" = no network namespace; a path = join it; null = a new one.</summary>
    public string? NetworkNamespace { get; init; }
    public bool HostNetwork { get; init; }
    /// <summary>The init binary on the host, bound read-only into the container when --init.</summary>
    public string? InitBinary { get; init; }
    /// <summary>Seccomp from --security-opt seccomp=FILE (already parsed), or null for the default.</summary>
    public Seccomp? SeccompOverride { get; init; }
    public bool CgroupV2 { get; init; }
}

/// <summary>Image config + command line (already merged into the record's Config/HostConfig) → the OCI runtime spec,
/// with docker's defaults: its mounts, capability set, seccomp policy, masked and read-only /proc paths, devices.</summary>
public static class SpecBuilder
{
    public const string InitPath = "/sbin/docker-init";
    public const string DefaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    static readonly string[] MaskedPaths = ["/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore", "/proc/keys",
        "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
        "/sys/devices/virtual/powercap"];
    static readonly string[] ReadonlyPaths = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"];

    public static RuntimeSpec Build(SpecInputs i)
    {
        var c = i.Container;
        var cfg = c.Config;
        var hc = c.HostConfig;
        var user = ImageUser.Resolve(i.Rootfs, cfg.User, hc.GroupAdd);
        var cwd = string.IsNullOrEmpty(cfg.WorkingDir) ? "/" : cfg.WorkingDir;
        if (cwd != "/") RootfsPaths.MkdirAll(i.Rootfs, cwd, user.Uid, user.Gid);

        var caps = DefaultCapabilities.Compute(hc.Privileged, hc.CapAdd, hc.CapDrop);
        var secOpts = SecurityOptions.Parse(hc.SecurityOpt);
        var args = new List<string>();
        if (hc.Init == true)
        {
            if (i.InitBinary is null) throw EngineException.Invalid("--init: no init binary found (install Debian's tini package, or set SKIFF_INIT)");
            args.AddRange([InitPath, "--"]);
        }
        var command = ContainerCommand.Of(cfg);
        if (command.Count == 0) throw EngineException.Invalid("no command specified");
        args.AddRange(command);
        var env = Environment(cfg, user.Home);
        ExecutableCheck.Check(i.Rootfs, command[0], env, cwd);

        var spec = new RuntimeSpec
        {
            OciVersion = "1.0.2-dev", // what `runc spec` wrote for years; older crun refuses newer minors
            Process = new Process
            {
                Terminal = cfg.Tty,
                User = new User { Uid = user.Uid, Gid = user.Gid, AdditionalGids = user.AdditionalGids.Count > 0 ? user.AdditionalGids : null },
                Args = args,
                Env = env,
                Cwd = cwd,
                Capabilities = new CapabilitySets
                {
                    Bounding = [.. caps], Effective = [.. caps], Permitted = [.. caps],
                },
                NoNewPrivileges = secOpts.NoNewPrivileges,
                OomScoreAdj = hc.OomScoreAdj != 0 ? hc.OomScoreAdj : null,
            },
            Root = new Root { Path = i.Rootfs, Readonly = hc.ReadonlyRootfs },
            Hostname = cfg.Hostname,
            Domainname = string.IsNullOrEmpty(cfg.Domainname) ? null : cfg.Domainname,
            Mounts = DefaultMounts(hc, i.CgroupV2),
            Annotations = new() { ["org.skiff.container.name"] = c.PlainName },
            Linux = new Skiff.Runtime.Spec.Linux
            {
                Namespaces = Namespaces(i),
                CgroupsPath = $"/skiff/{c.Id}",
                Resources = Resources(hc),
                MaskedPaths = hc.Privileged ? null : [.. hc.MaskedPaths ?? [.. MaskedPaths]],
                ReadonlyPaths = hc.Privileged ? null : [.. hc.ReadonlyPaths ?? [.. ReadonlyPaths]],
                Seccomp = hc.Privileged || secOpts.SeccompUnconfined ? null : i.SeccompOverride ?? DefaultSeccompProfile.For(caps),
                Devices = hc.Privileged ? HostDevices.All() : null,
            },
        };

        var dir = Path.GetDirectoryName(c.HostnamePath)!;
        foreach (var (file, dest) in new[] { (c.HostnamePath, "/etc/hostname"), (c.HostsPath, "/etc/hosts"), (c.ResolvConfPath, "/etc/resolv.conf") })
            if (!string.IsNullOrEmpty(file) && File.Exists(file) && !i.UserMounts.Any(m => m.Destination == dest))
                spec.Mounts!.Add(new Mount { Destination = dest, Type = "bind", Source = file, Options = ["rbind", "rprivate", .. hc.ReadonlyRootfs ? new[] { "ro" } : []] });
        _ = dir;
        if (hc.Init == true)
            spec.Mounts!.Add(new Mount { Destination = InitPath, Type = "bind", Source = i.InitBinary, Options = ["bind", "ro", "nosuid", "nodev"] });
        spec.Mounts!.AddRange(i.UserMounts);
        return spec;
    }

    static List<string> Environment(ContainerConfig cfg, string? home)
    {
        var env = new List<string>();
        if (!cfg.Env.Any(e => e.StartsWith("PATH=", StringComparison.Ordinal))) env.Add(DefaultPath);
        env.Add("HOSTNAME=" + cfg.Hostname);
        if (cfg.Tty) env.Add("TERM=xterm");
        env.AddRange(cfg.Env);
        if (!env.Any(e => e.StartsWith("HOME=", StringComparison.Ordinal))) env.Add("HOME=" + (string.IsNullOrEmpty(home) ? "/" : home));
        return env;
    }

    static List<Mount> DefaultMounts(HostConfig hc, bool cgroupV2)
    {
        var shmSize = hc.ShmSize > 0 ? hc.ShmSize : 64L << 20;
        var sysOpts = new List<string> { "nosuid", "noexec", "nodev" };
        if (!hc.Privileged) sysOpts.Add("ro");
        var cgOpts = new List<string> { "nosuid", "noexec", "nodev", "relatime" };
        cgOpts.Add(hc.Privileged ? "rw" : "ro");
        return
        [
            new() { Destination = "/proc", Type = "proc", Source = "proc", Options = ["nosuid", "noexec", "nodev"] },
            new() { Destination = "/dev", Type = "tmpfs", Source = "tmpfs", Options = ["nosuid", "strictatime", "mode=755", "size=65536k"] },
            new() { Destination = "/dev/pts", Type = "devpts", Source = "devpts", Options = ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"] },
            new() { Destination = "/sys", Type = "sysfs", Source = "sysfs", Options = sysOpts },
            new() { Destination = "/sys/fs/cgroup", Type = cgroupV2 ? "cgroup2" : "cgroup", Source = "cgroup", Options = cgOpts },
            new() { Destination = "/dev/mqueue", Type = "mqueue", Source = "mqueue", Options = ["nosuid", "noexec", "nodev"] },
            new() { Destination = "/dev/shm", Type = "tmpfs", Source = "shm", Options = ["nosuid", "noexec", "nodev", "mode=1777", $"size={shmSize}"] },
        ];
    }

    static List<NamespaceSpec> Namespaces(SpecInputs i)
    {
        var l = new List<NamespaceSpec> { new() { Type = "pid" }, new() { Type = "ipc" }, new() { Type = "uts" }, new() { Type = "mount" } };
        if (!i.HostNetwork) l.Add(new NamespaceSpec { Type = "network", Path = i.NetworkNamespace });
        if (i.CgroupV2) l.Add(new NamespaceSpec { Type = "cgroup" });
        return l;
    }

    static Resources Resources(HostConfig hc)
    {
        var r = new Resources();
        if (hc.Privileged) r.Devices = [new DeviceRule { Allow = true, Access = "rwm" }];
        else
        {
            r.Devices = [new DeviceRule { Allow = false, Access = "rwm" }];
            // docker's allowed devices: mknod of any node, and use of the standard ones.
            r.Devices.Add(new DeviceRule { Allow = true, Type = "c", Access = "m" });
            r.Devices.Add(new DeviceRule { Allow = true, Type = "b", Access = "m" });
            foreach (var (maj, min) in new (long, long?)[] { (1, 3), (1, 5), (1, 7), (1, 8), (1, 9), (5, 0), (5, 1), (5, 2), (136, null), (10, 200) })
                r.Devices.Add(new DeviceRule { Allow = true, Type = "c", Major = maj, Minor = min, Access = "rwm" });
        }
        if (hc.Memory > 0) r.Memory = new MemoryResources { Limit = hc.Memory };
        if (hc.NanoCpus > 0) r.Cpu = new CpuResources { Period = 100000, Quota = hc.NanoCpus * 100000 / 1_000_000_000 };
        if (hc.CpuShares > 0) (r.Cpu ??= new CpuResources()).Shares = (ulong)hc.CpuShares;
        if (hc.PidsLimit is > 0) r.Pids = new PidsResources { Limit = hc.PidsLimit.Value };
        return r;
    }
}
