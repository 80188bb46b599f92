using Microsoft.Win32.SafeHandles;
using Skiff.Linux;

namespace Skiff.Images.Layers;

/// <summary>Applies a layer (an uncompressed tar stream) onto a directory. Every path is resolved with
/// openat2(RESOLVE_IN_ROOT) and every final component is created with *at calls that do not follow symlinks, so neither
/// names, symlinks nor hardlinks in a layer can touch anything outside <c>root</c>.</summary>
public sealed class LayerApplier : IDisposable
{
    Fd _root;
    readonly WhiteoutStyle _style;
    readonly Func<IReadOnlyList<string>>? _lowers;
    readonly Dictionary<string, int> _dirCache = new(StringComparer.Ordinal);
    readonly HashSet<string> _created = new(StringComparer.Ordinal);
    readonly List<(string Path, TarEntry Entry)> _dirTimes = [];
    readonly bool _chown = Environment.UserName == "root";
    static readonly uint Umask = ReadUmask();

    /// <summary>The process umask, read from /proc (umask(2) can only be read by changing it).</summary>
    static uint ReadUmask()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("Umask:", StringComparison.Ordinal)) return Convert.ToUInt32(line[6..].Trim(), 8);
        return 0x1ff; // unknown: always chmod
    }

    /// <param name="lowers">For an overlay upper: the lower layer roots, top first, fetched (and waited for) only when a
    /// hardlink names a file of a lower layer or a missing parent directory should inherit a lower one's attributes.</param>
    public LayerApplier(string root, WhiteoutStyle style, Func<IReadOnlyList<string>>? lowers = null)
    {
        _root = Files.Open(root, Files.O_PATH | Files.O_DIRECTORY);
        _style = style;
        _lowers = lowers;
    }

    public long Entries { get; private set; }

    /// <summary>Applies every entry of <paramref name="tar"/>; directory times are set last.</summary>
    public void Apply(Stream tar)
    {
        using var r = new TarReader(tar);
        while (r.Next() is { } e)
        {
            Entries++;
            ApplyEntry(e, r);
        }
        FinishDirectoryTimes();
    }

    void ApplyEntry(TarEntry e, TarReader r)
    {
        var path = EntryName.Clean(e.Name);
        if (path.Length == 0) return; // the root itself keeps the snapshot's attributes
        var (parent, name) = EntryName.Split(path);
        if (Whiteouts.IsWhiteout(name)) { ApplyWhiteout(parent, name); return; }
        if (e.Xattrs is not null)
            foreach (var k in e.Xattrs.Keys)
                if (k.StartsWith("trusted.overlay.", StringComparison.Ordinal))
                    throw new LayerSecurityException($"\"{path}\" carries overlayfs xattr {k}");

        int dir = OpenDir(parent, create: true);
        if (e.IsRegular && TryCreateFile(dir, name, path, e, r)) return; // the common case: one openat, no stat
        bool exists = Files.TryStatAt(dir, name, Files.AT_SYMLINK_NOFOLLOW, out var st, out _);
        if (exists)
        {
            bool bothDirs = (st.Mode & Files.S_IFMT) == Files.S_IFDIR && e.Type == TarEntry.Directory;
            if (!bothDirs) Remove(dir, name, (st.Mode & Files.S_IFMT) == Files.S_IFDIR);
        }
        _created.Add(path);

        switch (e.Type)
        {
            case TarEntry.Directory:
                if (!exists || (st.Mode & Files.S_IFMT) != Files.S_IFDIR) Files.MkdirAt(dir, name, 0x1c0);
                _dirTimes.Add((path, e));
                break;
            case TarEntry.Regular or TarEntry.RegularOld or TarEntry.Contiguous:
                WriteFile(dir, name, e, r);
                break;
            case TarEntry.Symlink:
                Files.SymlinkAt(e.LinkName, dir, name);
                break;
            case TarEntry.HardLink:
                Hardlink(dir, name, e);
                return; // a hardlink shares the target's inode and metadata
            case TarEntry.CharDevice:
                Files.MknodAt(dir, name, Files.S_IFCHR | (e.Mode & 0xfff), MakeDev(e.DevMajor, e.DevMinor));
                break;
            case TarEntry.BlockDevice:
                Files.MknodAt(dir, name, Files.S_IFBLK | (e.Mode & 0xfff), MakeDev(e.DevMajor, e.DevMinor));
                break;
            case TarEntry.Fifo:
                Files.MknodAt(dir, name, Files.S_IFIFO | (e.Mode & 0xfff), 0);
                break;
            default:
                return; // unknown types (e.g. 'V' volume labels) are skipped like docker does
        }
        SetAttributes(dir, name, e, isDir: e.Type == TarEntry.Directory);
    }

    /// <summary>Creates a regular file that does not exist yet; false (nothing done) when the name is taken.</summary>
    bool TryCreateFile(int dir, string name, string path, TarEntry e, TarReader r)
    {
        var fd = Files.TryOpenAt(dir, name, Files.O_WRONLY | Files.O_CREAT | Files.O_EXCL | Files.O_NOFOLLOW, e.Mode & 0x1ff, out int errno);
        if (!fd.IsValid)
        {
            if (errno == Errno.EEXIST) return false;
            throw new LinuxException("openat", path, errno);
        }
        using (fd) WriteData(fd.Value, e, r);
        _created.Add(path);
        SetAttributes(dir, name, e, isDir: false, justCreated: true);
        return true;
    }

    void WriteFile(int dir, string name, TarEntry e, TarReader r)
    {
        using var fd = Files.OpenAt(dir, name, Files.O_WRONLY | Files.O_CREAT | Files.O_EXCL | Files.O_NOFOLLOW, e.Mode & 0x1ff);
        WriteData(fd.Value, e, r);
    }

    static void WriteData(int fd, TarEntry e, TarReader r)
    {
        if (e.Sparse is { } map) { WriteSparse(fd, e, map, r); return; }
        long written = WriteRun(fd, e, r, long.MaxValue, out bool hole);
        if (written != e.Size) throw new EndOfStreamException($"tar: \"{e.Name}\" truncated");
        if (hole) Sync.Truncate(fd, written, e.Name);
    }

    /// <summary>A GNU sparse file: each stored region at its offset, holes between them, then the real size.</summary>
    static void WriteSparse(int fd, TarEntry e, SparseMap map, TarReader r)
    {
        foreach (var region in map.Regions)
        {
            Files.Seek(fd, region.Offset, Files.SEEK_SET);
            if (WriteRun(fd, e, r, region.Length, out _) != region.Length) throw new EndOfStreamException($"tar: \"{e.Name}\" truncated");
        }
        Sync.Truncate(fd, map.RealSize, e.Name);
    }

    /// <summary>Copies up to <paramref name="max"/> bytes of entry data at the fd's offset; runs of zeros are skipped
    /// over (they become holes once the size is set).</summary>
    static long WriteRun(int fd, TarEntry e, TarReader r, long max, out bool hole)
    {
        long n = 0;
        hole = false;
        while (n < max)
        {
            var chunk = r.ReadChunk(max - n);
            if (chunk.IsEmpty) break;
            if (chunk.Length >= 4096 && chunk.IndexOfAnyExcept((byte)0) < 0)
            {
                hole = true; // leave a hole: sparse on disk
                Files.Seek(fd, chunk.Length, Files.SEEK_CUR);
            }
            else Files.WriteAll(fd, chunk, e.Name);
            n += chunk.Length;
        }
        return n;
    }

    void Hardlink(int dir, string name, TarEntry e)
    {
        var target = EntryName.Clean(e.LinkName);
        if (target.Length == 0) throw new LayerSecurityException($"hardlink \"{e.Name}\" to the root");
        var fd = Resolve.TryInRoot(_root.Value, target, Files.O_PATH | Files.O_NOFOLLOW, out int errno);
        if (!fd.IsValid && errno == Errno.ENOENT && _lowers is not null)
        {
            CopyUp(target);
            fd = Resolve.TryInRoot(_root.Value, target, Files.O_PATH | Files.O_NOFOLLOW, out errno);
        }
        if (!fd.IsValid) throw new LinuxException("link", e.Name, errno, $"target \"{e.LinkName}\"");
        using (fd)
        {
            var st = Files.Fstat(fd.Value, target);
            if ((st.Mode & Files.S_IFMT) == Files.S_IFDIR) throw new LayerSecurityException($"hardlink \"{e.Name}\" to a directory");
            Links.LinkFd(fd.Value, dir, name);
        }
    }

    /// <summary>A hardlink in this layer to a file only a lower layer has: copy the file up into this layer first.</summary>
    void CopyUp(string target)
    {
        foreach (var lower in _lowers!())
        {
            using var lroot = Files.Open(lower, Files.O_PATH | Files.O_DIRECTORY);
            var src = Resolve.TryInRoot(lroot.Value, target, Files.O_PATH | Files.O_NOFOLLOW, out _);
            if (!src.IsValid) continue;
            using (src)
            {
                var st = Files.Fstat(src.Value);
                if ((st.Mode & Files.S_IFMT) == Files.S_IFCHR && st.Rdev == 0) return; // whited out below
                var (parent, name) = EntryName.Split(target);
                int dir = OpenDir(parent, create: true);
                var proc = $"/proc/self/fd/{src.Value}";
                switch (st.Mode & Files.S_IFMT)
                {
                    case Files.S_IFREG:
                        using (var input = File.OpenRead(proc))
                        using (var outFd = Files.OpenAt(dir, name, Files.O_WRONLY | Files.O_CREAT | Files.O_EXCL | Files.O_NOFOLLOW, 0x180))
                        using (var output = new FileStream(new SafeFileHandle(outFd.Value, ownsHandle: false), FileAccess.Write))
                            input.CopyTo(output);
                        break;
                    case Files.S_IFLNK:
                        Files.SymlinkAt(Links.ReadLinkAt(src.Value, ""), dir, name);
                        break;
                    default:
                        Files.MknodAt(dir, name, st.Mode, st.Rdev);
                        break;
                }
                var e = new TarEntry { Mode = st.Mode & 0xfff, Uid = st.Uid, Gid = st.Gid, MtimeSec = st.Mtime, MtimeNsec = st.MtimeNsec };
                SetAttributes(dir, name, e, isDir: false, isLink: (st.Mode & Files.S_IFMT) == Files.S_IFLNK);
                return;
            }
        }
    }

    void ApplyWhiteout(string parent, string name)
    {
        if (name == Whiteouts.Opaque)
        {
            int dir = OpenDir(parent, create: true);
            if (_style == WhiteoutStyle.Overlay)
                Xattrs.Set($"/proc/self/fd/{dir}/.", Whiteouts.OverlayOpaqueXattr, "y"u8);
            else
            {
                foreach (var child in Directory.EnumerateFileSystemEntries($"/proc/self/fd/{dir}"))
                {
                    var childName = Path.GetFileName(child);
                    var rel = parent.Length == 0 ? childName : parent + "/" + childName;
                    if (_created.Contains(rel)) continue;
                    bool isDir = Files.TryStatAt(dir, childName, Files.AT_SYMLINK_NOFOLLOW, out var cst, out _) && (cst.Mode & Files.S_IFMT) == Files.S_IFDIR;
                    Remove(dir, childName, isDir);
                }
            }
            return;
        }
        if (name.StartsWith(Whiteouts.MetaPrefix, StringComparison.Ordinal)) return; // aufs bookkeeping (.wh..wh.plnk etc.)
        var victim = name[Whiteouts.Prefix.Length..];
        if (victim is "" or "." or ".." || victim.Contains('/')) throw new LayerSecurityException($"whiteout \"{name}\" names no file");
        int d = OpenDir(parent, create: _style == WhiteoutStyle.Overlay, missingOk: true);
        if (d < 0) return; // deleting something under a directory that does not exist: nothing to do
        bool exists = Files.TryStatAt(d, victim, Files.AT_SYMLINK_NOFOLLOW, out var st, out _);
        if (exists) Remove(d, victim, (st.Mode & Files.S_IFMT) == Files.S_IFDIR);
        if (_style == WhiteoutStyle.Overlay) Files.MknodAt(d, victim, Files.S_IFCHR, 0);
    }

    void SetAttributes(int dir, string name, TarEntry e, bool isDir, bool isLink = false, bool justCreated = false)
    {
        isLink |= e.Type == TarEntry.Symlink;
        // A file this process just created is owned by us and has mode & 0777 & ~umask: skip what is already right.
        bool ownerRight = justCreated && e.Uid == 0 && e.Gid == 0 && !SetgidDir(dir); // a setgid parent hands out its gid
        bool modeRight = justCreated && (e.Mode & 0xe00) == 0 && (e.Mode & 0x1ff & Umask) == 0;
        if (_chown && !ownerRight)
        {
            try { Files.FchownAt(dir, name, (uint)e.Uid, (uint)e.Gid, Files.AT_SYMLINK_NOFOLLOW); }
            catch (LinuxException x) when (x.Errno is Errno.EPERM or Errno.EINVAL) { }
        }
        if (!isLink && !modeRight) Links.ChmodAt(dir, name, e.Mode & 0xfff);
        if (e.Xattrs is not null)
            foreach (var (k, v) in e.Xattrs)
            {
                try { Xattrs.Set($"/proc/self/fd/{dir}/{name}", k, v); }
                catch (LinuxException x) when (x.Errno is Errno.EOPNOTSUPP or Errno.EPERM && !k.StartsWith("security.capability", StringComparison.Ordinal)) { }
            }
        if (!isDir) Times.SetAt(dir, name, e.MtimeSec, e.MtimeNsec, e.MtimeSec, e.MtimeNsec, Files.AT_SYMLINK_NOFOLLOW);
    }

    void FinishDirectoryTimes()
    {
        for (int i = _dirTimes.Count - 1; i >= 0; i--)
        {
            var (path, e) = _dirTimes[i];
            using var fd = Resolve.TryInRoot(_root.Value, path, Files.O_PATH | Files.O_NOFOLLOW | Files.O_DIRECTORY, out _);
            if (!fd.IsValid) continue; // removed later in the same layer
            Times.SetAt(Files.AT_FDCWD, $"/proc/self/fd/{fd.Value}", e.MtimeSec, e.MtimeNsec, e.MtimeSec, e.MtimeNsec, 0);
        }
    }

    /// <summary>An O_PATH fd of directory <paramref name="rel"/> inside the root, creating missing components (with the
    /// attributes of the same directory in a lower layer, when there is one). Cached; not owned by the caller.</summary>
    int OpenDir(string rel, bool create, bool missingOk = false)
    {
        if (rel.Length == 0) return _root.Value;
        if (_dirCache.TryGetValue(rel, out int cached)) return cached;
        var fd = Resolve.TryInRoot(_root.Value, rel, Files.O_PATH | Files.O_DIRECTORY, out int errno);
        if (!fd.IsValid && errno == Errno.ENOENT && create)
        {
            var (parent, name) = EntryName.Split(rel);
            int p = OpenDir(parent, create: true);
            var lower = LowerDirAttributes(rel);
            if (!Files.TryMkdirAt(p, name, 0x1ed, out int merr))
                throw new LinuxException("mkdir", rel, merr, merr == Errno.EEXIST ? "a symlink on the path points to nothing" : null);
            if (lower is { } a) SetAttributes(p, name, a, isDir: true);
            fd = Resolve.TryInRoot(_root.Value, rel, Files.O_PATH | Files.O_DIRECTORY, out errno);
        }
        if (!fd.IsValid)
        {
            if (missingOk && errno is Errno.ENOENT or Errno.ENOTDIR) return -1;
            throw new LinuxException("openat2", rel, errno, "parent directory of a layer entry");
        }
        if (_dirCache.Count > 256) ClearCache();
        _dirCache[rel] = fd.Release();
        return _dirCache[rel];
    }

    readonly Dictionary<int, bool> _setgid = [];

    bool SetgidDir(int dirFd)
    {
        if (_setgid.TryGetValue(dirFd, out bool v)) return v;
        v = (Files.Fstat(dirFd).Mode & 0x400) != 0;
        _setgid[dirFd] = v;
        return v;
    }

    TarEntry? LowerDirAttributes(string rel)
    {
        if (_lowers is null) return null;
        foreach (var lower in _lowers())
        {
            if (!Files.TryStatAt(Files.AT_FDCWD, Path.Combine(lower, rel), 0, out var st, out _)) continue;
            if ((st.Mode & Files.S_IFMT) != Files.S_IFDIR) return null;
            return new TarEntry { Type = TarEntry.Directory, Mode = st.Mode & 0xfff, Uid = st.Uid, Gid = st.Gid, MtimeSec = st.Mtime, MtimeNsec = st.MtimeNsec };
        }
        return null;
    }

    void Remove(int dir, string name, bool isDir)
    {
        if (!isDir)
        {
            int e = Files.UnlinkAt(dir, name, 0);
            if (e != 0 && e != Errno.ENOENT) throw new LinuxException("unlink", name, e);
            return;
        }
        ClearCache(); // cached fds may point into the tree being removed
        RemoveTree(dir, name);
    }

    static void RemoveTree(int dir, string name)
    {
        using (var sub = Files.OpenAt(dir, name, Files.O_RDONLY | Files.O_DIRECTORY | Files.O_NOFOLLOW))
        {
            foreach (var child in Directory.EnumerateFileSystemEntries($"/proc/self/fd/{sub.Value}"))
            {
                var c = Path.GetFileName(child);
                bool isDir = Files.TryStatAt(sub.Value, c, Files.AT_SYMLINK_NOFOLLOW, out var st, out _) && (st.Mode & Files.S_IFMT) == Files.S_IFDIR;
                if (isDir) RemoveTree(sub.Value, c);
                else { int e = Files.UnlinkAt(sub.Value, c, 0); if (e != 0 && e != Errno.ENOENT) throw new LinuxException("unlink", c, e); }
            }
        }
        int r = Files.UnlinkAt(dir, name, Files.AT_REMOVEDIR);
        if (r != 0 && r != Errno.ENOENT) throw new LinuxException("rmdir", name, r);
    }

    static ulong MakeDev(uint major, uint minor)
        => ((ulong)(major & 0xfff) << 8) | (minor & 0xff) | ((ulong)(minor & ~0xffu) << 12) | ((ulong)(major & ~0xfffu) << 32);

    void ClearCache()
    {
        _setgid.Clear();
        foreach (var fd in _dirCache.Values) new Fd(fd).Dispose();
        _dirCache.Clear();
    }

    public void Dispose()
    {
        ClearCache();
        _root.Dispose();
    }
}
