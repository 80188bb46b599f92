using Skiff.Linux;

namespace Skiff.Engine.Archive;

/// <summary>Who owns what a copy creates: the source's ids (<c>cp -a</c>), fixed ids (docker makes files copied into a
/// container root's), or whoever runs the copy.</summary>
internal enum Ownership { KeepSource, Fixed, Caller }

/// <summary>Writes entries below a directory held open as an fd. Parents are found with openat2(RESOLVE_IN_ROOT) with
/// that directory as the root, so no name — "..", an absolute symlink, a symlink the copy itself made, one the
/// container swaps in — can reach outside it. The last component is always created fresh with *at calls and
/// O_EXCL|O_NOFOLLOW after removing what was there, so nothing is ever written through a symlink. Directory modes and
/// times are applied at the end (deepest first) so a read-only directory still receives its children. Device nodes are
/// not created (they would hand a container, or the host, a device).</summary>
internal sealed class DirectorySink(int rootFd, string display, Ownership ownership, uint uid = 0, uint gid = 0) : IArchiveSink
{
    readonly Dictionary<string, Fd> _parents = new(StringComparer.Ordinal);
    readonly List<ArchiveEntry> _dirs = [];
    readonly byte[] _buf = new byte[64 * 1024];

    public List<string> Skipped { get; } = [];

    public void Add(ArchiveEntry e)
    {
        if (e.Name.Length == 0) return; // the destination directory itself keeps its own metadata
        int slash = e.Name.LastIndexOf('/');
        string parentRel = slash < 0 ? "" : e.Name[..slash], name = e.Name[(slash + 1)..];
        int parent = Parent(parentRel);
        string where = $"{display.TrimEnd('/')}/{e.Name}";
        if (e.HardlinkTo is not null) { Hardlink(e, parent, name, where); return; }
        switch (e.Type)
        {
            case Files.S_IFDIR:
                if (!Files.TryMkdirAt(parent, name, 0x1c0, out int err))
                {
                    if (err != Errno.EEXIST) throw new LinuxException("mkdir", where, err);
                    if (!IsDirectory(parent, name))
                    {
                        Clear(parent, name, where, replacingWithDirectory: true);
                        Files.MkdirAt(parent, name, 0x1c0);
                    }
                }
                _dirs.Add(e);
                return;
            case Files.S_IFREG:
                Clear(parent, name, where);
                using (var fd = Files.OpenAt(parent, name, Files.O_WRONLY | Files.O_CREAT | Files.O_EXCL | Files.O_NOFOLLOW, 0x180))
                {
                    CopyData(e, fd.Value, where);
                    Own(fd.Value, e, where);
                    Files.Fchmod(fd.Value, e.Mode & 0xfff, where);
                }
                break;
            case Files.S_IFLNK:
                Clear(parent, name, where);
                Files.SymlinkAt(e.LinkTarget, parent, name);
                if (ownership != Ownership.Caller) Files.FchownAt(parent, name, Uid(e), Gid(e), Files.AT_SYMLINK_NOFOLLOW);
                break;
            case Files.S_IFIFO:
                Clear(parent, name, where);
                Files.MknodAt(parent, name, Files.S_IFIFO | (e.Mode & 0xfff), 0);
                if (ownership != Ownership.Caller) Files.FchownAt(parent, name, Uid(e), Gid(e), Files.AT_SYMLINK_NOFOLLOW);
                break;
            default:
                Skipped.Add(where);
                return;
        }
        Times.SetAt(parent, name, e.MtimeSec, e.MtimeNsec, e.MtimeSec, e.MtimeNsec, Files.AT_SYMLINK_NOFOLLOW);
    }

    public void Finish()
    {
        for (int i = _dirs.Count - 1; i >= 0; i--)
        {
            var e = _dirs[i];
            string where = $"{display.TrimEnd('/')}/{e.Name}";
            using var fd = Resolve.InRoot(rootFd, e.Name, Files.O_RDONLY | Files.O_DIRECTORY | Files.O_NOFOLLOW, 0, where);
            Own(fd.Value, e, where);
            Files.Fchmod(fd.Value, e.Mode & 0xfff, where);
            Times.SetAt(Files.AT_FDCWD, $"/proc/self/fd/{fd.Value}", e.MtimeSec, e.MtimeNsec, e.MtimeSec, e.MtimeNsec, 0);
        }
        foreach (var fd in _parents.Values) fd.Dispose();
        _parents.Clear();
    }

    int Parent(string rel)
    {
        if (rel.Length == 0) return rootFd;
        if (_parents.TryGetValue(rel, out var fd)) return fd.Value;
        fd = Resolve.InRoot(rootFd, rel, Files.O_PATH | Files.O_DIRECTORY, 0, $"{display.TrimEnd('/')}/{rel}");
        _parents[rel] = fd;
        return fd.Value;
    }

    void Hardlink(ArchiveEntry e, int parent, string name, string where)
    {
        int slash = e.HardlinkTo!.LastIndexOf('/');
        int tparent = Parent(slash < 0 ? "" : e.HardlinkTo[..slash]);
        using var target = Files.OpenAt(tparent, e.HardlinkTo[(slash + 1)..], Files.O_PATH | Files.O_NOFOLLOW);
        Clear(parent, name, where);
        Links.LinkFd(target.Value, parent, name);
    }

    /// <summary>Removes what <paramref name="name"/> names now (a file or symlink is unlinked, never followed); an existing
    /// directory is an error unless it is replaced by a directory.</summary>
    static void Clear(int parent, string name, string where, bool replacingWithDirectory = false)
    {
        if (!Files.TryStatAt(parent, name, Files.AT_SYMLINK_NOFOLLOW, out var st, out int e))
        {
            if (e == Errno.ENOENT) return;
            throw new LinuxException("lstat", where, e);
        }
        if ((st.Mode & Files.S_IFMT) == Files.S_IFDIR)
            throw new CopyException($"cannot overwrite directory \"{where}\" with non-directory");
        int r = Files.UnlinkAt(parent, name, 0);
        if (r != 0 && r != Errno.ENOENT) throw new LinuxException("unlink", where, r);
        _ = replacingWithDirectory;
    }

    static bool IsDirectory(int parent, string name)
        => Files.TryStatAt(parent, name, Files.AT_SYMLINK_NOFOLLOW, out var st, out _) && (st.Mode & Files.S_IFMT) == Files.S_IFDIR;

    void CopyData(ArchiveEntry e, int fd, string where)
    {
        if (e.Data is null) return;
        long left = e.Size;
        while (left > 0)
        {
            int n = e.Data.Read(_buf, 0, (int)Math.Min(_buf.Length, left));
            if (n <= 0) break;
            Files.WriteAll(fd, _buf.AsSpan(0, n), where);
            left -= n;
        }
    }

    void Own(int fd, ArchiveEntry e, string where)
    {
        if (ownership == Ownership.Caller) return;
        Files.Fchown(fd, Uid(e), Gid(e), where);
    }

    uint Uid(ArchiveEntry e) => ownership == Ownership.KeepSource ? e.Uid : uid;
    uint Gid(ArchiveEntry e) => ownership == Ownership.KeepSource ? e.Gid : gid;
}
