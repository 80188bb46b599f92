using Skiff.Linux;
using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Init.Rootfs;

/// <summary>/dev contents: the default devices every container gets, linux.devices, and the std links.</summary>
public static class DeviceNodes
{
    static readonly (string Path, long Major, long Minor)[] Defaults =
    [
        ("/dev/null", 1, 3), ("/dev/zero", 1, 5), ("/dev/full", 1, 7), ("/dev/random", 1, 8),
        ("/dev/urandom", 1, 9), ("/dev/tty", 5, 0),
    ];

    static readonly (string Link, string Target)[] Links =
    [
        ("/dev/fd", "/proc/self/fd"), ("/dev/stdin", "/proc/self/fd/0"), ("/dev/stdout", "/proc/self/fd/1"),
        ("/dev/stderr", "/proc/self/fd/2"), ("/dev/core", "/proc/kcore"),
    ];

    public static void Create(PathInRoot root, IReadOnlyList<Device>? devices, bool inUserNamespace, bool hasDevPts)
    {
        var made = new HashSet<string>();
        foreach (var d in devices ?? [])
        {
            Make(root, d.Path!, TypeBits(d.Type!), d.Major, d.Minor, d.FileMode ?? 0x1b6, d.Uid ?? 0, d.Gid ?? 0, inUserNamespace);
            made.Add(d.Path!);
        }
        foreach (var (path, major, minor) in Defaults)
            if (!made.Contains(path)) Make(root, path, Files.S_IFCHR, major, minor, 0x1b6, 0, 0, inUserNamespace);

        using var dev = root.EnsureDirectory("/dev");
        foreach (var (link, target) in Links)
        {
            if (target == "/proc/kcore" && !File.Exists("/proc/kcore")) continue; // as runc: only where the kernel has it
            var name = link[5..];
            try { Files.SymlinkAt(target, dev.Value, name); }
            catch (LinuxException e) when (e.Errno == Errno.EEXIST) { }
        }
        if (hasDevPts)
        {
            // /dev/ptmx must be the container's own devpts instance.
            Files.UnlinkAt(dev.Value, "ptmx", 0);
            Files.SymlinkAt("pts/ptmx", dev.Value, "ptmx");
        }
    }

    static uint TypeBits(string type) => type switch
    {
        "c" or "u" => Files.S_IFCHR, "b" => Files.S_IFBLK, "p" => Files.S_IFIFO,
        _ => throw new RuntimeException("linux.devices", $"unknown device type \"{type}\""),
    };

    static void Make(PathInRoot root, string path, uint type, long major, long minor, uint mode, uint uid, uint gid, bool inUserNamespace)
    {
        var dir = Path.GetDirectoryName(path)!;
        var name = Path.GetFileName(path);
        using var parent = root.EnsureDirectory(dir);
        Files.UnlinkAt(parent.Value, name, 0); // a file or link from the image must not stand in for the device
        if (inUserNamespace && type != Files.S_IFIFO)
        {
            // mknod is refused in a user namespace: bind the host's node onto an empty file (as runc).
            using (Files.OpenAt(parent.Value, name, Files.O_CREAT | Files.O_WRONLY | Files.O_NOFOLLOW, 0x1a4)) { }
            using var target = root.Open(path);
            Mounts.Mount(path, PathInRoot.ProcFd(target.Value), null, Mounts.MS_BIND, null, path);
            return;
        }
        ulong dev = Makedev((ulong)major, (ulong)minor);
        Files.MknodAt(parent.Value, name, type | (mode & 0xfff), dev);
        Files.FchownAt(parent.Value, name, uid, gid, Files.AT_SYMLINK_NOFOLLOW);
        // mknod applies the umask: set the mode the config asked for exactly.
        Files.Fchmodat(parent.Value, name, mode & 0xfff);
    }

    public static ulong Makedev(ulong major, ulong minor)
        => ((major & 0xfffff000UL) << 32) | ((major & 0xfffUL) << 8) | ((minor & 0xffffff00UL) << 12) | (minor & 0xffUL);
}
