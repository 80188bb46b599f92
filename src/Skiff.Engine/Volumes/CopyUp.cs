using Microsoft.Win32.SafeHandles;
using Skiff.Engine.Archive;
using Skiff.Linux;

namespace Skiff.Engine.Volumes;

/// <summary>Copies an image directory into a fresh volume (docker's copy-up). The source is resolved inside the
/// container's rootfs with openat2(RESOLVE_IN_ROOT); from there every entry is opened relative to its parent's fd with
/// O_NOFOLLOW, symlinks are recreated (never followed), and every write in the destination is an *at() call on a held
/// directory fd with O_EXCL/O_NOFOLLOW, so nothing in the image can point the copy outside either tree.</summary>
internal static class CopyUp
{
    /// <summary>Copies when the destination is empty and the source is a directory with content; returns whether it copied.</summary>
    public static bool Copy(string rootfsPath, string containerPath, string destDir)
    {
        using var root = Files.Open(rootfsPath, Files.O_PATH | Files.O_DIRECTORY);
        using var src = Resolve.TryInRoot(root.Value, containerPath, Files.O_RDONLY | Files.O_DIRECTORY, out int e);
        if (!src.IsValid)
        {
            if (e is Errno.ENOENT or Errno.ENOTDIR) return false;
            throw new LinuxException("openat2", $"{containerPath} in {rootfsPath}", e);
        }
        using var dst = Files.Open(destDir, Files.O_RDONLY | Files.O_DIRECTORY | Files.O_NOFOLLOW);
        if (DirectoryNames.Of(dst.Value).Count > 0) return false;
        var names = DirectoryNames.Of(src.Value);
        // The volume root takes the image directory's owner and mode (docker's copyOwnership), even when empty.
        var st = Files.Fstat(src.Value, containerPath);
        Files.Fchown(dst.Value, st.Uid, st.Gid, destDir);
        Files.Fchmod(dst.Value, st.Mode & 0xfff, destDir);
        if (names.Count == 0) return false;
        CopyChildren(src.Value, dst.Value, names, containerPath);
        return true;
    }

    static void CopyChildren(int srcDir, int dstDir, List<string> names, string where)
    {
        foreach (var name in names)
        {
            string display = $"{where.TrimEnd('/')}/{name}";
            if (!Files.TryStatAt(srcDir, name, Files.AT_SYMLINK_NOFOLLOW, out var st, out int e))
            {
                if (e == Errno.ENOENT) continue;
                throw new LinuxException("stat", display, e);
            }
            uint type = st.Mode & Files.S_IFMT;
            switch (type)
            {
                case Files.S_IFDIR:
                    Files.MkdirAt(dstDir, name, 0x1c0);
                    using (var s = Files.OpenAt(srcDir, name, Files.O_RDONLY | Files.O_DIRECTORY | Files.O_NOFOLLOW))
                    using (var d = Files.OpenAt(dstDir, name, Files.O_RDONLY | Files.O_DIRECTORY | Files.O_NOFOLLOW))
                    {
                        CopyChildren(s.Value, d.Value, DirectoryNames.Of(s.Value), display);
                        Files.Fchown(d.Value, st.Uid, st.Gid, display);
                        Files.Fchmod(d.Value, st.Mode & 0xfff, display);
                    }
                    break;
                case Files.S_IFREG:
                    using (var s = Files.OpenAt(srcDir, name, Files.O_RDONLY | Files.O_NOFOLLOW))
                    using (var d = Files.OpenAt(dstDir, name, Files.O_WRONLY | Files.O_CREAT | Files.O_EXCL | Files.O_NOFOLLOW, 0x180))
                    {
                        CopyData(s.Value, d.Value);
                        Files.Fchown(d.Value, st.Uid, st.Gid, display);
                        Files.Fchmod(d.Value, st.Mode & 0xfff, display);
                    }
                    break;
                case Files.S_IFLNK:
                    Files.SymlinkAt(Files.ReadlinkAt(srcDir, name), dstDir, name);
                    Files.FchownAt(dstDir, name, st.Uid, st.Gid, Files.AT_SYMLINK_NOFOLLOW);
                    break;
                case Files.S_IFCHR or Files.S_IFBLK or Files.S_IFIFO:
                    Files.MknodAt(dstDir, name, st.Mode, st.Rdev);
                    Files.FchownAt(dstDir, name, st.Uid, st.Gid, Files.AT_SYMLINK_NOFOLLOW);
                    break;
                default:
                    continue; // sockets are not content
            }
            Times.SetAt(dstDir, name, st.Atime, st.AtimeNsec, st.Mtime, st.MtimeNsec, Files.AT_SYMLINK_NOFOLLOW);
        }
    }

    internal static void CopyData(int from, int to)
    {
        using var i = new FileStream(new SafeFileHandle(from, ownsHandle: false), FileAccess.Read, 0);
        using var o = new FileStream(new SafeFileHandle(to, ownsHandle: false), FileAccess.Write, 0);
        i.CopyTo(o, 1 << 16);
    }
}
