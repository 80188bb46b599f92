using Skiff.Linux;
using static Skiff.Linux.Mounts;

namespace Skiff.Runtime.Init.Rootfs;

/// <summary>A "cgroup" mount: cgroup2 where the host is unified; on v1/hybrid a tmpfs holding one mount per
/// hierarchy (each showing the container's own cgroup), like runc.</summary>
public static class CgroupMount
{
    public static void Apply(PathInRoot root, string dest, MountOptions opts, string? cgroupsPath, bool newCgroupNs)
    {
        ulong flags = (opts.Flags & ~(MS_BIND | MS_REC | MS_REMOUNT)) | MS_NOSUID | MS_NODEV | MS_NOEXEC;
        using var target = root.EnsureDirectory(dest);
        if (Files.FsType("/sys/fs/cgroup") == Files.CGROUP2_SUPER_MAGIC)
        {
            if (newCgroupNs) Mount("cgroup2", PathInRoot.ProcFd(target.Value), "cgroup2", flags, null, dest);
            else BindHierarchy(root, "/sys/fs/cgroup", cgroupsPath, dest, flags);
            return;
        }
        Mount("tmpfs", PathInRoot.ProcFd(target.Value), "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=755", dest);
        foreach (var dir in Directory.EnumerateDirectories("/sys/fs/cgroup"))
        {
            var name = Path.GetFileName(dir);
            if (File.GetAttributes(dir).HasFlag(FileAttributes.ReparsePoint)) continue;
            long fs;
            try { fs = Files.FsType(dir); } catch (LinuxException) { continue; }
            if (fs != Files.CGROUP_SUPER_MAGIC && fs != Files.CGROUP2_SUPER_MAGIC) continue;
            var sub = dest + "/" + name;
            BindHierarchy(root, dir, cgroupsPath, sub, flags);
            // cpu -> cpu,cpuacct style links for co-mounted controllers.
            if (name.Contains(','))
                foreach (var c in name.Split(','))
                {
                    using var parent = root.Open(dest, Files.O_PATH | Files.O_DIRECTORY);
                    try { Files.SymlinkAt(name, parent.Value, c); } catch (LinuxException e) when (e.Errno == Errno.EEXIST) { }
                }
        }
        if ((opts.Flags & MS_RDONLY) != 0)
        {
            using var t = root.Open(dest, Files.O_PATH | Files.O_DIRECTORY);
            MountEntry.Remount(PathInRoot.ProcFd(t.Value), MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, dest);
        }
    }

    static void BindHierarchy(PathInRoot root, string hierarchy, string? cgroupsPath, string dest, ulong flags)
    {
        var source = Path.Combine(hierarchy, (cgroupsPath ?? "").TrimStart('/'));
        if (!Directory.Exists(source)) source = hierarchy;
        using var target = root.EnsureDirectory(dest);
        Mount(source, PathInRoot.ProcFd(target.Value), null, MS_BIND | MS_REC, null, dest);
        using var mounted = root.Open(dest, Files.O_PATH | Files.O_DIRECTORY);
        MountEntry.Remount(PathInRoot.ProcFd(mounted.Value), flags & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC), dest);
    }
}
