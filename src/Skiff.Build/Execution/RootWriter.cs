using Skiff.Linux;

namespace Skiff.Build.Execution;

/// <summary>Writes files into a stage's mounted root without ever leaving it: directories are resolved with
/// openat2(RESOLVE_IN_ROOT) (an image's symlinks are followed as inside the container), final names are created with
/// *at calls that do not follow symlinks. Paths are absolute inside the root ("/app/x").</summary>
public sealed class RootWriter : IDisposable
{
    Fd _root;
    readonly Dictionary<string, int> _dirs = new(StringComparer.Ordinal);
    readonly byte[] _buf = new byte[1 << 17];

    public RootWriter(string root)
    {
        Root = root;
        _root = Files.Open(root, Files.O_PATH | Files.O_DIRECTORY);
    }

    public string Root { get; }

    /// <summary>What <paramref name="path"/> is inside the root (symlinks in the parents followed, the last one not).</summary>
    public bool TryStat(string path, out Files.Stat st, bool follow = false)
    {
        st = default;
        var (parent, name) = Split(path);
        if (name.Length == 0) return Files.TryStatAt(_root.Value, ".", 0, out st, out _);
        int dir = TryDir(parent);
        if (dir < 0) return false;
        return Files.TryStatAt(dir, name, follow ? 0 : Files.AT_SYMLINK_NOFOLLOW, out st, out _);
    }

    public bool IsDir(string path) => TryStat(path, out var st, follow: true) && (st.Mode & Files.S_IFMT) == Files.S_IFDIR;

    /// <summary>The directory at <paramref name="path"/>, created with its parents (mode 0755, <paramref name="uid"/>:
    /// <paramref name="gid"/>) when missing. Returns an fd owned by this writer.</summary>
    public int Dir(string path, uint uid = 0, uint gid = 0)
    {
        path = Normalize(path);
        if (_dirs.TryGetValue(path, out var fd)) return fd;
        var r = Linux.Resolve.TryInRoot(_root.Value, path, Files.O_PATH | Files.O_DIRECTORY, out int e);
        if (!r.IsValid)
        {
            if (e != Errno.ENOENT) throw new LinuxException("openat2", path, e);
            var (parent, name) = Split(path);
            int p = Dir(parent, uid, gid);
            if (!Files.TryMkdirAt(p, name, 0x1ed, out e) && e != Errno.EEXIST) throw new LinuxException("mkdirat", path, e);
            if (e == 0) { Files.FchownAt(p, name, uid, gid, Files.AT_SYMLINK_NOFOLLOW); Files.Fchmodat(p, name, 0x1ed); }
            r = Linux.Resolve.InRoot(_root.Value, path, Files.O_PATH | Files.O_DIRECTORY, displayPath: path);
        }
        _dirs[path] = r.Value;
        return r.Value;
    }

    int TryDir(string path)
    {
        path = Normalize(path);
        if (_dirs.TryGetValue(path, out var fd)) return fd;
        var r = Linux.Resolve.TryInRoot(_root.Value, path, Files.O_PATH | Files.O_DIRECTORY, out _);
        if (!r.IsValid) return -1;
        _dirs[path] = r.Value;
        return r.Value;
    }

    /// <summary>Removes whatever is at dir/name unless it is a directory and <paramref name="keepDir"/>.</summary>
    void Clear(int dir, string name, bool keepDir, string path)
    {
        if (!Files.TryStatAt(dir, name, Files.AT_SYMLINK_NOFOLLOW, out var st, out _)) return;
        bool isDir = (st.Mode & Files.S_IFMT) == Files.S_IFDIR;
        if (isDir && keepDir) return;
        if (isDir)
        {
            var full = Path.Combine("/proc/self/fd", dir.ToString(System.Globalization.CultureInfo.InvariantCulture), name);
            Directory.Delete(full, recursive: true);
            ForgetUnder(path);
        }
        else Files.UnlinkAt(dir, name, 0);
    }

    void ForgetUnder(string path)
    {
        foreach (var k in _dirs.Keys.Where(k => k == path || k.StartsWith(path + "/", StringComparison.Ordinal)).ToList())
        {
            Files.Close(_dirs[k]);
            _dirs.Remove(k);
        }
    }

    public void WriteFile(string path, Stream data, uint mode, uint uid, uint gid, long mtimeSec = -1, long mtimeNsec = 0)
    {
        var (parent, name) = Split(path);
        int dir = Dir(parent);
        Clear(dir, name, keepDir: false, path);
        using var fd = Files.OpenAt(dir, name, Files.O_WRONLY | Files.O_CREAT | Files.O_EXCL | Files.O_NOFOLLOW, 0x180);
        int n;
        while ((n = data.Read(_buf)) > 0) Files.WriteAll(fd.Value, _buf.AsSpan(0, n), path);
        Files.Fchown(fd.Value, uid, gid, path);
        Files.Fchmod(fd.Value, mode & 0xfff, path);
        if (mtimeSec >= 0) Times.SetAt(dir, name, mtimeSec, mtimeNsec, mtimeSec, mtimeNsec, Files.AT_SYMLINK_NOFOLLOW);
    }

    public void Symlink(string path, string target, uint uid, uint gid, long mtimeSec = -1, long mtimeNsec = 0)
    {
        var (parent, name) = Split(path);
        int dir = Dir(parent);
        Clear(dir, name, keepDir: false, path);
        Files.SymlinkAt(target, dir, name);
        Files.FchownAt(dir, name, uid, gid, Files.AT_SYMLINK_NOFOLLOW);
        if (mtimeSec >= 0) Times.SetAt(dir, name, mtimeSec, mtimeNsec, mtimeSec, mtimeNsec, Files.AT_SYMLINK_NOFOLLOW);
    }

    /// <summary>Makes a directory (an existing one is kept; a file in the way is replaced); with <paramref name="mode"/>
    /// set, owner and mode are applied to it.</summary>
    public void Mkdir(string path, uint? mode, uint uid, uint gid)
    {
        var (parent, name) = Split(path);
        if (name.Length == 0) return;
        int dir = Dir(parent, uid, gid);
        Clear(dir, name, keepDir: true, path);
        bool made = Files.TryMkdirAt(dir, name, 0x1ed, out int e);
        if (!made && e != Errno.EEXIST) throw new LinuxException("mkdirat", path, e);
        if (made || mode is not null)
        {
            Files.FchownAt(dir, name, uid, gid, Files.AT_SYMLINK_NOFOLLOW);
            Files.Fchmodat(dir, name, (mode ?? 0x1ed) & 0xfff);
        }
    }

    public void SetTimes(string path, long sec, long nsec)
    {
        var (parent, name) = Split(path);
        if (name.Length == 0) return;
        Times.SetAt(Dir(parent), name, sec, nsec, sec, nsec, Files.AT_SYMLINK_NOFOLLOW);
    }

    /// <summary>Removes <paramref name="path"/> (a file, or a directory with everything in it).</summary>
    public void Remove(string path)
    {
        var (parent, name) = Split(path);
        int dir = TryDir(parent);
        if (dir >= 0 && name.Length > 0) Clear(dir, name, keepDir: false, path);
    }

    /// <summary>A /proc/self/fd path for directory <paramref name="path"/> (created), for code that takes a path.</summary>
    public string DirPath(string path) => "/proc/self/fd/" + Dir(path).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var p in path.Split('/'))
        {
            if (p.Length == 0 || p == ".") continue;
            if (p == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); continue; }
            parts.Add(p);
        }
        return "/" + string.Join('/', parts);
    }

    static (string Parent, string Name) Split(string path)
    {
        path = Normalize(path);
        if (path == "/") return ("/", "");
        int i = path.LastIndexOf('/');
        return (i == 0 ? "/" : path[..i], path[(i + 1)..]);
    }

    public void Dispose()
    {
        foreach (var fd in _dirs.Values) Files.Close(fd);
        _dirs.Clear();
        _root.Dispose();
    }
}
