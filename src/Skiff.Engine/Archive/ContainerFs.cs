using Skiff.Linux;

namespace Skiff.Engine.Archive;

/// <summary>A container's file system as <c>cp</c> sees it. For a running container the root is
/// <c>/proc/&lt;pid&gt;/root</c>: its mount namespace, volumes and binds included, exactly as the processes see them. For
/// a stopped one it is the mounted snapshot plus <see cref="ArchiveMount"/>s, mapped by path prefix. All lookups go
/// through openat2(RESOLVE_IN_ROOT) on the held root fd.</summary>
public sealed class ContainerFs : IDisposable
{
    Fd _root; // not readonly: Dispose must mark this very field closed
    readonly List<(string Dest, string Source, bool ReadOnly)> _mounts;

    ContainerFs(Fd root, string display, IEnumerable<ArchiveMount> mounts)
    {
        _root = root;
        Display = display;
        _mounts = mounts.Select(m => (Normalize(m.Destination), m.Source, m.ReadOnly))
            .OrderByDescending(m => m.Item1.Length).ToList();
    }

    public string Display { get; }

    /// <summary>A running container, through its init's /proc/&lt;pid&gt;/root.</summary>
    public static ContainerFs ForProcess(int pid, string display)
        => new(Files.Open($"/proc/{pid}/root", Files.O_PATH | Files.O_DIRECTORY), display, []);

    /// <summary>A stopped container: its rootfs directory (the snapshot, mounted by the engine) and its mounts.</summary>
    public static ContainerFs ForRootfs(string rootfs, IEnumerable<ArchiveMount> mounts, string display)
        => new(Files.Open(rootfs, Files.O_PATH | Files.O_DIRECTORY), display, mounts);

    /// <summary>The host's own file system (the other side of a copy).</summary>
    public static ContainerFs Host() => new(Files.Open("/", Files.O_PATH | Files.O_DIRECTORY), "", []);

    /// <summary>"/a/b/../c/" → "/a/c" (lexical, as docker cleans cp paths before resolving).</summary>
    public static string Normalize(string path)
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

    /// <summary>The root fd and the path relative to it that serve <paramref name="path"/> (a mount's source when the
    /// path is at or below a mount destination).</summary>
    internal (int RootFd, string Rel, Fd Owned, bool ReadOnly) Locate(string path)
    {
        var n = Normalize(path);
        foreach (var (dest, source, ro) in _mounts)
        {
            if (n != dest && !n.StartsWith(dest + "/", StringComparison.Ordinal)) continue;
            bool isDir = Directory.Exists(source);
            var rel = n[dest.Length..];
            if (!isDir)
            {
                if (rel.Length > 0) throw new CopyException($"{Display}:{path}: not a directory");
                var parent = Files.Open(Path.GetDirectoryName(source)!, Files.O_PATH | Files.O_DIRECTORY);
                return (parent.Value, Path.GetFileName(source), parent, ro);
            }
            var fd = Files.Open(source, Files.O_PATH | Files.O_DIRECTORY);
            return (fd.Value, rel.Length == 0 ? "/" : rel, fd, ro);
        }
        return (_root.Value, n, Fd.None, false);
    }

    /// <summary>For tree walks of a stopped container: the mount whose destination is exactly <paramref name="path"/>,
    /// opened for reading; invalid when none.</summary>
    internal Fd MountAt(string path)
    {
        var n = Normalize(path);
        foreach (var (dest, source, _) in _mounts)
            if (dest == n)
                return Directory.Exists(source) ? Files.Open(source, Files.O_RDONLY | Files.O_DIRECTORY)
                    : Files.Open(source, Files.O_RDONLY | Files.O_NOFOLLOW | Files.O_NONBLOCK);
        return Fd.None;
    }

    internal bool HasMounts => _mounts.Count > 0;

    public void Dispose() => _root.Dispose();
}
