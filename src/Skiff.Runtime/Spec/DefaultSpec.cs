using Skiff.Linux;

namespace Skiff.Runtime.Spec;

/// <summary>The config.json `oar spec` writes: the same defaults `runc spec` gives, so existing guides work.</summary>
public static class DefaultSpec
{
    public static RuntimeSpec Create(bool rootless, uint uid = 0, uint gid = 0)
    {
        List<string> caps = ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"];
        var spec = new RuntimeSpec
        {
            OciVersion = "1.2.1",
            Process = new Process
            {
                Terminal = true,
                User = new User { Uid = 0, Gid = 0 },
                Args = ["sh"],
                Env = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"],
                Cwd = "/",
                Capabilities = new CapabilitySets { Bounding = [.. caps], Effective = [.. caps], Permitted = [.. caps] },
                Rlimits = [new Rlimit { Type = "RLIMIT_NOFILE", Hard = 1024, Soft = 1024 }],
                NoNewPrivileges = true,
            },
            Root = new Root { Path = "rootfs", Readonly = true },
            Hostname = "oar",
            Mounts =
            [
                new Mount { Destination = "/proc", Type = "proc", Source = "proc" },
                new Mount { Destination = "/dev", Type = "tmpfs", Source = "tmpfs", Options = ["nosuid", "strictatime", "mode=755", "size=65536k"] },
                new Mount { Destination = "/dev/pts", Type = "devpts", Source = "devpts", Options = ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"] },
                new Mount { Destination = "/dev/shm", Type = "tmpfs", Source = "shm", Options = ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"] },
                new Mount { Destination = "/dev/mqueue", Type = "mqueue", Source = "mqueue", Options = ["nosuid", "noexec", "nodev"] },
                new Mount { Destination = "/sys", Type = "sysfs", Source = "sysfs", Options = ["nosuid", "noexec", "nodev", "ro"] },
                new Mount { Destination = "/sys/fs/cgroup", Type = "cgroup", Source = "cgroup", Options = ["nosuid", "noexec", "nodev", "relatime", "ro"] },
            ],
            Linux = new Linux
            {
                Resources = new Resources { Devices = [new DeviceRule { Allow = false, Access = "rwm" }] },
                Namespaces = [new() { Type = "pid" }, new() { Type = "network" }, new() { Type = "ipc" }, new() { Type = "uts" }, new() { Type = "mount" }, new() { Type = "cgroup" }],
                MaskedPaths = ["/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
                    "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi"],
                ReadonlyPaths = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"],
            },
        };
        if (rootless)
        {
            spec.Linux.Resources = null;
            spec.Linux.Namespaces.Add(new NamespaceSpec { Type = "user" });
            spec.Linux.UidMappings = [new IdMapping { ContainerId = 0, HostId = uid, Size = 1 }];
            spec.Linux.GidMappings = [new IdMapping { ContainerId = 0, HostId = gid, Size = 1 }];
            spec.Mounts.RemoveAll(m => m.Type == "cgroup");
            spec.Mounts.First(m => m.Destination == "/dev/pts").Options!.Remove("gid=5");
            var sys = spec.Mounts.First(m => m.Destination == "/sys");
            sys.Type = "none"; sys.Source = "/sys"; sys.Options = ["rbind", "nosuid", "noexec", "nodev", "ro"];
        }
        return spec;
    }
}
