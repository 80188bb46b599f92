using Skiff.Linux;

namespace Skiff.Runtime.Init.Rootfs;

/// <summary>
/// Resolves and creates paths strictly inside a container root with openat2(RESOLVE_IN_ROOT): symlinks in the
/// image, however crafted, cannot lead outside it (CVE-2021-30465). Callers mount onto the returned O_PATH fd
/// through /proc/self/fd/N, so nothing can be swapped between resolving and mounting.
/// </summary>
public sealed class PathInRoot(int rootFd, string rootPath)
{
    public int RootFd { get; } = rootFd;
    public string RootPath { get; } = rootPath;

    public Fd Open(string path, int flags = Files.O_PATH)
        => Resolve.InRoot(RootFd, Relative(path), flags, displayPath: path);

    public Fd TryOpen(string path, int flags, out int errno) => Resolve.TryInRoot(RootFd, Relative(path), flags, out errno);

    /// <summary>Opens the directory <paramref name="path"/>, creating missing components (0755).</summary>
    public Fd EnsureDirectory(string path)
    {
        var fd = TryOpen(path, Files.O_PATH | Files.O_DIRECTORY, out int e);
        if (fd.IsValid) return fd;
        if (e != Errno.ENOENT) throw new LinuxException("openat2", path, e);
        var parts = Relative(path).Split('/', StringSplitOptions.RemoveEmptyEntries);
        var cur = "";
        foreach (var part in parts)
        {
            using var parent = Open(cur.Length == 0 ? "/" : cur, Files.O_PATH | Files.O_DIRECTORY);
            if (!Files.TryMkdirAt(parent.Value, part, 0x1ed, out int me) && me != Errno.EEXIST)
                throw new LinuxException("mkdir", cur + "/" + part, me);
            cur = cur + "/" + part;
        }
        return Open(path, Files.O_PATH | Files.O_DIRECTORY);
    }

    /// <summary>Opens the file <paramref name="path"/>, creating it (and its parent directories) if missing.</summary>
    public Fd EnsureFile(string path)
    {
        var fd = TryOpen(path, Files.O_PATH, out int e);
        if (fd.IsValid) return fd;
        if (e != Errno.ENOENT) throw new LinuxException("openat2", path, e);
        var dir = Path.GetDirectoryName(Relative(path)) ?? "/";
        using (var parent = EnsureDirectory(dir.Length == 0 ? "/" : dir))
        using (Files.OpenAt(parent.Value, Path.GetFileName(path), Files.O_CREAT | Files.O_WRONLY | Files.O_NOFOLLOW, 0x1a4)) { }
        return Open(path, Files.O_PATH);
    }

    public bool IsDirectory(int fd) => (Files.Fstat(fd).Mode & Files.S_IFMT) == Files.S_IFDIR;

    static string Relative(string path) => path.Length == 0 ? "/" : path;

    /// <summary>The magic-link path that reaches an fd for mount(2).</summary>
    public static string ProcFd(int fd) => $"/proc/self/fd/{fd}";
}
