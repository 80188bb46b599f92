using Skiff.Linux;

namespace Skiff.Images.Snapshots.Copy;

/// <summary>Copies a tree keeping everything a layer can carry: types, hardlinks, owners, modes, times, xattrs.
/// Never follows symlinks.</summary>
public static class TreeCopy
{
    public static void Copy(string src, string dst)
    {
        var links = new Dictionary<(ulong, ulong), string>();
        var dirs = new List<(string, Files.Stat)>();
        CopyDir(src, dst, links, dirs);
        for (int i = dirs.Count - 1; i >= 0; i--) Finish(dirs[i].Item1, dirs[i].Item2, isLink: false);
    }

    static void CopyDir(string src, string dst, Dictionary<(ulong, ulong), string> links, List<(string, Files.Stat)> dirs)
    {
        var st = Files.StatAt(Files.AT_FDCWD, src, Files.AT_SYMLINK_NOFOLLOW);
        Directory.CreateDirectory(dst);
        dirs.Add((dst, st));
        CopyXattrs(src, dst);
        foreach (var s in Directory.EnumerateFileSystemEntries(src))
        {
            var d = Path.Combine(dst, Path.GetFileName(s));
            var cst = Files.StatAt(Files.AT_FDCWD, s, Files.AT_SYMLINK_NOFOLLOW);
            uint type = cst.Mode & Files.S_IFMT;
            if (type == Files.S_IFDIR) { CopyDir(s, d, links, dirs); continue; }
            if (cst.Nlink > 1 && type != Files.S_IFDIR)
            {
                if (links.TryGetValue((cst.Dev, cst.Ino), out var first)) { Links.Link(first, d); continue; }
                links[(cst.Dev, cst.Ino)] = d;
            }
            switch (type)
            {
                case Files.S_IFREG: File.Copy(s, d); break;
                case Files.S_IFLNK: Files.SymlinkAt(Links.ReadLinkAt(Files.AT_FDCWD, s), Files.AT_FDCWD, d); break;
                default: Files.MknodAt(Files.AT_FDCWD, d, cst.Mode, cst.Rdev); break;
            }
            CopyXattrs(s, d);
            Finish(d, cst, type == Files.S_IFLNK);
        }
    }

    static void CopyXattrs(string s, string d)
    {
        foreach (var name in Xattrs.List(s))
            if (Xattrs.Get(s, name) is { } v) Xattrs.Set(d, name, v);
    }

    static void Finish(string d, in Files.Stat st, bool isLink)
    {
        // chown clears security.capability: re-set it after
        var cap = isLink ? null : Xattrs.Get(d, "security.capability");
        Files.FchownAt(Files.AT_FDCWD, d, st.Uid, st.Gid, Files.AT_SYMLINK_NOFOLLOW);
        if (!isLink) Links.ChmodAt(Files.AT_FDCWD, d, st.Mode & 0xfff);
        if (cap is not null) Xattrs.Set(d, "security.capability", cap);
        Times.SetAt(Files.AT_FDCWD, d, st.Atime, st.AtimeNsec, st.Mtime, st.MtimeNsec, Files.AT_SYMLINK_NOFOLLOW);
    }
}
