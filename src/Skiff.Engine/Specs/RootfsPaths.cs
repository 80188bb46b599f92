using Skiff.Linux;

namespace Skiff.Engine.Specs;

/// <summary>Directories made inside a container's rootfs by the engine (the working directory, volume mount points),
/// one component at a time with openat2(RESOLVE_IN_ROOT) so symlinks in the image stay inside the rootfs.</summary>
public static class RootfsPaths
{
    public static void MkdirAll(string rootfs, string path, uint uid, uint gid)
    {
        using var root = Files.Open(rootfs, Files.O_PATH | Files.O_DIRECTORY | Files.O_CLOEXEC);
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var prefix = "/";
        foreach (var p in parts)
        {
            var next = prefix == "/" ? "/" + p : prefix + "/" + p;
            var fd = Resolve.TryInRoot(root.Value, next, Files.O_PATH | Files.O_DIRECTORY, out int e);
            if (fd.IsValid) { fd.Dispose(); prefix = next; continue; }
            if (e != Errno.ENOENT) throw EngineException.Invalid($"working directory {path}: {next} in the image: {Errno.Name(e)}");
            using var parent = Resolve.InRoot(root.Value, prefix, Files.O_PATH | Files.O_DIRECTORY, displayPath: prefix);
            if (!Files.TryMkdirAt(parent.Value, p, 0x1ed, out int me) && me != Errno.EEXIST)
                throw new LinuxException("mkdirat", next, me);
            Files.FchownAt(parent.Value, p, uid, gid, Files.AT_SYMLINK_NOFOLLOW);
            prefix = next;
        }
    }

    /// <summary>True when <paramref name="path"/> exists in the rootfs as a non-empty directory (resolved inside it).</summary>
    public static string? HostPathOfDirectory(string rootfs, string path)
    {
        using var root = Files.Open(rootfs, Files.O_PATH | Files.O_DIRECTORY | Files.O_CLOEXEC);
        var fd = Resolve.TryInRoot(root.Value, path, Files.O_PATH | Files.O_DIRECTORY, out _);
        if (!fd.IsValid) return null;
        using (fd) return Files.ReadlinkAt(Files.AT_FDCWD, $"/proc/self/fd/{fd.Value}");
    }
}
