using Skiff.Linux;

namespace Skiff.Runtime.Init.Rootfs;

/// <summary>
/// Resolves and creates paths strictly inside a container root with openat2(RESOLVE_IN_ROOT): symlinks in the
/// image, however crafted, cannot lead outside it (CVE-2021-30465). Missing components are created where the
/// symlinks point, interpreted inside the root. Callers mount onto the returned O_PATH fd through
/// /proc/self/fd/N, so nothing can be swapped between resolving and mounting.
/// </summary>
public sealed class PathInRoot(int rootFd, string rootPath)
{
    const int MaxSymlinks = 40;
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
        return Open(CreateDirectories(path, path), Files.O_PATH | Files.O_DIRECTORY);
    }

    /// <summary>Opens the file <paramref name="path"/>, creating it (and its parent directories) if missing.</summary>
    public Fd EnsureFile(string path)
    {
        var fd = TryOpen(path, Files.O_PATH, out int e);
        if (fd.IsValid) return fd;
        if (e != Errno.ENOENT) throw new LinuxException("openat2", path, e);
        var current = path;
        for (int hops = 0; hops <= MaxSymlinks; hops++)
        {
            var dir = CreateDirectories(Parent(current), path);
            var name = Name(current);
            using var parent = Open(dir, Files.O_PATH | Files.O_DIRECTORY);
            if (Files.TryStatAt(parent.Value, name, Files.AT_SYMLINK_NOFOLLOW, out var st, out _))
            {
                if ((st.Mode & Files.S_IFMT) != Files.S_IFLNK) return Open(Join(dir, name));
                var target = Files.ReadlinkAt(parent.Value, name);
                current = target.StartsWith('/') ? target : Join(dir, target);
                continue;
            }
            var created = Files.TryOpenAt(parent.Value, name, Files.O_CREAT | Files.O_EXCL | Files.O_WRONLY | Files.O_NOFOLLOW, 0x1a4, out int ce);
            if (!created.IsValid && ce != Errno.EEXIST) throw new LinuxException("create", path, ce);
            created.Dispose();
            return Open(Join(dir, name));
        }
        throw new LinuxException("create", path, Errno.ELOOP);
    }

    /// <summary>Creates every missing directory of <paramref name="path"/>, following symlinks inside the root;
    /// returns the symlink-free path of the result.</summary>
    string CreateDirectories(string path, string display)
    {
        var remaining = new List<string>(Components(path));
        var current = "/";
        int hops = 0;
        while (remaining.Count > 0)
        {
            var name = remaining[0];
            remaining.RemoveAt(0);
            if (name == ".") continue;
            if (name == "..") { current = Parent(current); continue; }
            using var parent = Open(current, Files.O_PATH | Files.O_DIRECTORY);
            if (Files.TryStatAt(parent.Value, name, Files.AT_SYMLINK_NOFOLLOW, out var st, out _))
            {
                var type = st.Mode & Files.S_IFMT;
                if (type == Files.S_IFDIR) { current = Join(current, name); continue; }
                if (type != Files.S_IFLNK) throw new LinuxException("mkdir", display, Errno.ENOTDIR, $"{Join(current, name)} is not a directory");
                if (++hops > MaxSymlinks) throw new LinuxException("mkdir", display, Errno.ELOOP);
                var target = Files.ReadlinkAt(parent.Value, name);
                if (target.StartsWith('/')) current = "/";
                remaining.InsertRange(0, Components(target));
                continue;
            }
            if (!Files.TryMkdirAt(parent.Value, name, 0x1ed, out int me) && me != Errno.EEXIST)
                throw new LinuxException("mkdir", Join(current, name), me);
            if (me == Errno.EEXIST) { remaining.Insert(0, name); continue; } // raced: look again
            current = Join(current, name);
        }
        return current;
    }

    public bool IsDirectory(int fd) => (Files.Fstat(fd).Mode & Files.S_IFMT) == Files.S_IFDIR;

    static string[] Components(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);
    static string Join(string dir, string name) => dir == "/" ? "/" + name.TrimStart('/') : dir + "/" + name.TrimStart('/');
    static string Parent(string path)
    {
        var p = path.TrimEnd('/');
        int i = p.LastIndexOf('/');
        return i <= 0 ? "/" : p[..i];
    }
    static string Name(string path) => path.TrimEnd('/')[(path.TrimEnd('/').LastIndexOf('/') + 1)..];
    static string Relative(string path) => path.Length == 0 ? "/" : path;

    /// <summary>The magic-link path that reaches an fd for mount(2).</summary>
    public static string ProcFd(int fd) => $"/proc/self/fd/{fd}";
}
