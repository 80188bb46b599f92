using Skiff.Linux;

namespace Skiff.Images.Layers;

/// <summary>Writes a layer tar from a directory: the whole tree, the changes of an overlayfs upper directory (its
/// whiteouts become .wh. entries), or the difference between two trees. Entries are sorted and carry no atime/ctime
/// or host names, so the same input gives the same bytes (and digest).</summary>
public sealed class LayerWriter
{
    readonly TarWriter _tar;
    readonly Dictionary<(ulong Dev, ulong Ino), string> _links = [];
    readonly byte[] _buf = new byte[1 << 16];

    LayerWriter(Stream output) => _tar = new TarWriter(output);

    /// <summary>Every file under <paramref name="root"/>.</summary>
    public static void WriteTree(string root, Stream output)
    {
        var w = new LayerWriter(output);
        w.Walk(root, "", lower: null, overlayUpper: false);
        w._tar.Finish();
    }

    /// <summary>An overlayfs upper directory as a layer: 0/0 character devices → ".wh.NAME", opaque dirs → ".wh..wh..opq".</summary>
    public static void WriteOverlayUpper(string upper, Stream output)
    {
        var w = new LayerWriter(output);
        w.Walk(upper, "", lower: null, overlayUpper: true);
        w._tar.Finish();
    }

    /// <summary>What changed from <paramref name="lower"/> to <paramref name="upper"/> (two full trees).</summary>
    public static void WriteDiff(string lower, string upper, Stream output)
    {
        var w = new LayerWriter(output);
        w.Walk(upper, "", lower, overlayUpper: false);
        w._tar.Finish();
    }

    void Walk(string root, string rel, string? lower, bool overlayUpper)
    {
        var dirPath = rel.Length == 0 ? root : Path.Combine(root, rel);
        var names = new List<string>();
        foreach (var p in Directory.EnumerateFileSystemEntries(dirPath)) names.Add(Path.GetFileName(p));
        if (lower is not null)
        {
            var lowerDir = rel.Length == 0 ? lower : Path.Combine(lower, rel);
            if (Directory.Exists(lowerDir) && !IsSymlink(lowerDir))
                foreach (var p in Directory.EnumerateFileSystemEntries(lowerDir))
                {
                    var n = Path.GetFileName(p);
                    if (!names.Contains(n)) names.Add(n); // deleted in upper: whiteout below
                }
        }
        names.Sort(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var childRel = rel.Length == 0 ? name : rel + "/" + name;
            var path = Path.Combine(root, childRel);
            bool inUpper = Files.TryStatAt(Files.AT_FDCWD, path, Files.AT_SYMLINK_NOFOLLOW, out var st, out _);
            if (!inUpper)
            {
                _tar.WriteHeader(new TarEntry { Name = Parent(childRel) + Whiteouts.Prefix + name, Type = TarEntry.Regular, Mode = 0 });
                continue;
            }
            uint type = st.Mode & Files.S_IFMT;
            if (overlayUpper && type == Files.S_IFCHR && st.Rdev == 0)
            {
                _tar.WriteHeader(new TarEntry { Name = Parent(childRel) + Whiteouts.Prefix + name, Type = TarEntry.Regular, Mode = 0 });
                continue;
            }
            bool changed = true;
            Files.Stat lst = default;
            if (lower is not null && Files.TryStatAt(Files.AT_FDCWD, Path.Combine(lower, childRel), Files.AT_SYMLINK_NOFOLLOW, out lst, out _))
                changed = Differs(st, lst, path, Path.Combine(lower, childRel));
            if (lower is not null && type == Files.S_IFDIR && (lst.Mode & Files.S_IFMT) != Files.S_IFDIR && lst.Mode != 0)
                changed = true;
            if (changed) WriteEntry(path, childRel, st);
            if (type == Files.S_IFDIR)
            {
                if (overlayUpper && Xattrs.Get(path, Whiteouts.OverlayOpaqueXattr) is { } v && v.AsSpan().SequenceEqual("y"u8))
                    _tar.WriteHeader(new TarEntry { Name = childRel + "/" + Whiteouts.Opaque, Type = TarEntry.Regular, Mode = 0 });
                bool lowerIsDir = lower is not null && (lst.Mode & Files.S_IFMT) == Files.S_IFDIR;
                Walk(root, childRel, lowerIsDir ? lower : null, overlayUpper);
            }
        }
    }

    static string Parent(string rel) { int i = rel.LastIndexOf('/'); return i < 0 ? "" : rel[..(i + 1)]; }
    static bool IsSymlink(string p) => Files.TryStatAt(Files.AT_FDCWD, p, Files.AT_SYMLINK_NOFOLLOW, out var st, out _) && (st.Mode & Files.S_IFMT) == Files.S_IFLNK;

    static bool Differs(in Files.Stat a, in Files.Stat b, string pa, string pb)
    {
        if (a.Mode != b.Mode || a.Uid != b.Uid || a.Gid != b.Gid) return true;
        uint type = a.Mode & Files.S_IFMT;
        if (type == Files.S_IFDIR) return a.Mtime != b.Mtime || a.MtimeNsec != b.MtimeNsec;
        if (a.Size != b.Size || a.Mtime != b.Mtime || a.MtimeNsec != b.MtimeNsec || a.Rdev != b.Rdev) return true;
        if (type == Files.S_IFLNK) return Links.ReadLinkAt(Files.AT_FDCWD, pa) != Links.ReadLinkAt(Files.AT_FDCWD, pb);
        return false;
    }

    void WriteEntry(string path, string rel, in Files.Stat st)
    {
        uint type = st.Mode & Files.S_IFMT;
        var e = new TarEntry
        {
            Name = type == Files.S_IFDIR ? rel + "/" : rel,
            Mode = st.Mode & 0xfff,
            Uid = st.Uid,
            Gid = st.Gid,
            MtimeSec = st.Mtime,
            Xattrs = ReadXattrs(path),
        };
        switch (type)
        {
            case Files.S_IFDIR: e.Type = TarEntry.Directory; break;
            case Files.S_IFLNK: e.Type = TarEntry.Symlink; e.LinkName = Links.ReadLinkAt(Files.AT_FDCWD, path); break;
            case Files.S_IFCHR: e.Type = TarEntry.CharDevice; (e.DevMajor, e.DevMinor) = Dev(st.Rdev); break;
            case Files.S_IFBLK: e.Type = TarEntry.BlockDevice; (e.DevMajor, e.DevMinor) = Dev(st.Rdev); break;
            case Files.S_IFIFO: e.Type = TarEntry.Fifo; break;
            case Files.S_IFSOCK: return; // sockets are not layer content
            case Files.S_IFREG:
                if (st.Nlink > 1)
                {
                    if (_links.TryGetValue((st.Dev, st.Ino), out var first))
                    {
                        e.Type = TarEntry.HardLink;
                        e.LinkName = first;
                        e.Xattrs = null;
                        _tar.WriteHeader(e);
                        return;
                    }
                    _links[(st.Dev, st.Ino)] = rel;
                }
                e.Type = TarEntry.Regular;
                e.Size = st.Size;
                break;
        }
        _tar.WriteHeader(e);
        if (e.Type == TarEntry.Regular && e.Size > 0)
        {
            using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            long left = e.Size;
            while (left > 0)
            {
                int n = f.Read(_buf, 0, (int)Math.Min(_buf.Length, left));
                if (n == 0) throw new IOException($"{path} shrank while being archived");
                _tar.WriteData(_buf.AsSpan(0, n));
                left -= n;
            }
        }
    }

    static SortedDictionary<string, byte[]>? ReadXattrs(string path)
    {
        SortedDictionary<string, byte[]>? d = null;
        foreach (var name in Xattrs.List(path))
        {
            if (name.StartsWith("trusted.overlay.", StringComparison.Ordinal)) continue;
            if (Xattrs.Get(path, name) is { } v) (d ??= new(StringComparer.Ordinal))[name] = v;
        }
        return d;
    }

    static (uint, uint) Dev(ulong rdev)
        => ((uint)(((rdev >> 8) & 0xfff) | ((rdev >> 32) & ~0xfffUL)), (uint)((rdev & 0xff) | ((rdev >> 12) & ~0xffUL)));
}
