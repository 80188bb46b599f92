using Skiff.Linux;
using static Skiff.Linux.Mounts;

namespace Skiff.Runtime.Init.Rootfs;

/// <summary>Performs one config.json "mounts" entry inside the container root.</summary>
public static class MountEntry
{
    /// <summary>Paths under /proc that may be bind-mounted over (lxcfs-style), as runc allows.</summary>
    static readonly HashSet<string> ProcOverlayAllowed =
    [
        "/proc/cpuinfo", "/proc/diskstats", "/proc/meminfo", "/proc/stat", "/proc/swaps", "/proc/uptime",
        "/proc/loadavg", "/proc/slabinfo", "/proc/sys/kernel/ns_last_pid", "/proc/net/dev",
    ];

    public static void Apply(PathInRoot root, Spec.Mount m, bool inUserNamespace, string? cgroupsPath, bool newCgroupNs)
    {
        var dest = Clean(m.Destination!);
        var type = m.Type ?? "";
        var opts = MountOptions.Parse(m.Options);
        bool bind = opts.IsBind || type == "bind";
        var step = $"mount \"{m.Source ?? type}\" on {dest}";

        // CVE-2019-16884: nothing but a real procfs may sit on /proc, and only a few files under it may be replaced.
        if (dest == "/proc" && type != "proc")
            throw new RuntimeException(step, "only a mount of type \"proc\" may be placed on /proc");
        if (dest.StartsWith("/proc/", StringComparison.Ordinal) && !(bind && ProcOverlayAllowed.Contains(dest)))
            throw new RuntimeException(step, "mounts under /proc are not allowed (except lxcfs-style binds of a few files)");

        if (type == "cgroup") { CgroupMount.Apply(root, dest, opts, cgroupsPath, newCgroupNs); return; }

        string? source = m.Source;
        bool sourceIsDir = true;
        if (bind)
        {
            if (string.IsNullOrEmpty(source)) throw new RuntimeException(step, "bind mount without a source");
            var st = Files.TryStatAt(Files.AT_FDCWD, source, 0, out var s, out int e)
                ? s : throw new RuntimeException(step, $"source {source}: {Errno.Name(e)} ({Errno.Describe(e)})");
            sourceIsDir = (st.Mode & Files.S_IFMT) == Files.S_IFDIR;
        }

        using var target = sourceIsDir ? root.EnsureDirectory(dest) : root.EnsureFile(dest);
        var at = PathInRoot.ProcFd(target.Value);
        if (bind)
        {
            Mount(source, at, null, MS_BIND | (opts.Recursive ? MS_REC : 0), null, dest);
            ulong extra = opts.Flags & ~(MS_BIND | MS_REC);
            if (extra != 0)
            {
                // A bind mount ignores flags; they take effect on a remount of the new mount (reopened: the
                // old fd still points below it).
                using var mounted = sourceIsDir ? root.Open(dest, Files.O_PATH | Files.O_DIRECTORY) : root.Open(dest);
                Remount(PathInRoot.ProcFd(mounted.Value), extra, dest);
            }
        }
        else
        {
            ulong flags = opts.Flags & ~MS_REMOUNT;
            string? data = opts.Data.Length > 0 ? opts.Data : null;
            int err = TryMount(source ?? type, at, type, flags, data);
            if (err == Errno.EPERM && inUserNamespace && type == "sysfs")
            {
                // Without owning the network namespace, sysfs cannot be mounted: bind the host's read-only (as runc).
                Mount("/sys", at, null, MS_BIND | MS_REC, null, dest);
                using var mounted = root.Open(dest, Files.O_PATH | Files.O_DIRECTORY);
                Remount(PathInRoot.ProcFd(mounted.Value), MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, dest);
            }
            else if (err == Errno.EPERM && inUserNamespace && type == "mqueue")
                Mount("/dev/mqueue", at, null, MS_BIND | MS_REC, null, dest);
            else if (err != 0)
                throw new LinuxException("mount", dest, err, $"\"{type}\"");
        }

        foreach (var p in MountOptions.PropagationSteps(opts.Propagation))
        {
            using var mounted = root.Open(dest, Files.O_PATH);
            Mount(null, PathInRoot.ProcFd(mounted.Value), null, p, null, dest);
        }
    }

    /// <summary>Remounts a bind mount with <paramref name="flags"/>, keeping the flags the kernel locks (nodev,
    /// nosuid, noexec, atime flags inherited in a user namespace), as runc does on EPERM.</summary>
    public static void Remount(string at, ulong flags, string display)
    {
        int err = TryMount(null, at, null, MS_REMOUNT | MS_BIND | flags, null);
        if (err == Errno.EPERM)
        {
            using var fd = Files.Open(at, Files.O_PATH);
            ulong locked = StatVfs.MountFlags(fd.Value);
            err = TryMount(null, at, null, MS_REMOUNT | MS_BIND | flags | locked, null);
        }
        if (err != 0) throw new LinuxException("remount", display, err);
    }

    public static string Clean(string path)
    {
        var parts = new List<string>();
        foreach (var p in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (p == ".") continue;
            if (p == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); continue; }
            parts.Add(p);
        }
        return "/" + string.Join('/', parts);
    }
}
