using Skiff.Linux;
using static Skiff.Linux.Mounts;

namespace Skiff.Runtime.Init.Rootfs;

/// <summary>maskedPaths (hidden behind /dev/null or an empty read-only tmpfs) and readonlyPaths.</summary>
public static class ProtectedPaths
{
    public static void Mask(PathInRoot root, IReadOnlyList<string>? paths)
    {
        foreach (var path in paths ?? [])
        {
            using var fd = root.TryOpen(path, Files.O_PATH, out int e);
            if (!fd.IsValid)
            {
                if (e == Errno.ENOENT) continue;
                throw new LinuxException("mask", path, e);
            }
            var at = PathInRoot.ProcFd(fd.Value);
            if (root.IsDirectory(fd.Value))
                Mount("tmpfs", at, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=0,mode=555", path);
            else
                Mount("/dev/null", at, null, MS_BIND, null, path);
        }
    }

    public static void MakeReadonly(PathInRoot root, IReadOnlyList<string>? paths)
    {
        foreach (var path in paths ?? [])
        {
            using (var fd = root.TryOpen(path, Files.O_PATH, out int e))
            {
                if (!fd.IsValid)
                {
                    if (e == Errno.ENOENT) continue;
                    throw new LinuxException("readonly", path, e);
                }
                Mount(PathInRoot.ProcFd(fd.Value), PathInRoot.ProcFd(fd.Value), null, MS_BIND | MS_REC, null, path);
            }
            using var mounted = root.Open(path);
            MountEntry.Remount(PathInRoot.ProcFd(mounted.Value), MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, path);
        }
    }
}
