using Microsoft.Win32.SafeHandles;
using Skiff.Linux;

namespace Skiff.Engine.Archive;

/// <summary>Walks a directory tree from held fds: every child is looked up with fstatat(AT_SYMLINK_NOFOLLOW) and opened
/// with openat(O_NOFOLLOW) relative to its parent's fd, then described from fstat of what was opened. A symlink or
/// directory swapped in while the walk runs therefore can only make an entry disappear (skipped), never redirect a read
/// outside the tree. Symlinks are entries, not followed. Hard links within the copy become tar hard links.</summary>
internal sealed class TreeSource(IArchiveSink sink, Func<string, Fd>? mountAt = null)
{
    readonly Dictionary<(ulong, ulong), string> _links = [];

    /// <summary>Emits the object <paramref name="name"/> in <paramref name="parentFd"/> as <paramref name="entryName"/>,
    /// with everything below it. <paramref name="containerPath"/> is its path for messages and mount lookups.</summary>
    public void Emit(int parentFd, string name, string entryName, string containerPath)
    {
        if (!Files.TryStatAt(parentFd, name, Files.AT_SYMLINK_NOFOLLOW, out var st, out int e))
        {
            if (e == Errno.ENOENT) return;
            throw new LinuxException("lstat", containerPath, e);
        }
        switch (st.Mode & Files.S_IFMT)
        {
            case Files.S_IFDIR:
            {
                using var dir = OpenDirectory(parentFd, name, containerPath);
                if (!dir.IsValid) return;
                EmitDirectory(dir.Value, entryName, containerPath);
                break;
            }
            case Files.S_IFREG:
            {
                using var f = Files.TryOpenAt(parentFd, name, Files.O_RDONLY | Files.O_NOFOLLOW | Files.O_NONBLOCK, 0, out e);
                if (!f.IsValid)
                {
                    if (e is Errno.ENOENT or Errno.ELOOP) return; // gone or swapped for a symlink
                    throw new LinuxException("open", containerPath, e);
                }
                EmitFile(f.Value, entryName, containerPath);
                break;
            }
            case Files.S_IFLNK:
                string target;
                try { target = Files.ReadlinkAt(parentFd, name); }
                catch (LinuxException x) when (x.Errno is Errno.ENOENT or Errno.EINVAL) { return; }
                sink.Add(Describe(st, entryName, target));
                break;
            case Files.S_IFCHR or Files.S_IFBLK or Files.S_IFIFO:
                sink.Add(Describe(st, entryName, ""));
                break;
            default:
                return; // sockets are not copied (docker skips them too)
        }
    }

    /// <summary>Emits a directory held open, then its children.</summary>
    public void EmitDirectory(int dirFd, string entryName, string containerPath, bool includeSelf = true)
    {
        var st = Files.Fstat(dirFd, containerPath);
        if (includeSelf) sink.Add(Describe(st, entryName, ""));
        foreach (var child in DirectoryNames.Of(dirFd))
        {
            string childPath = containerPath.TrimEnd('/') + "/" + child;
            string childEntry = entryName.Length == 0 ? child : entryName + "/" + child;
            if (mountAt is not null)
            {
                using var m = mountAt(childPath);
                if (m.IsValid)
                {
                    var ms = Files.Fstat(m.Value, childPath);
                    if ((ms.Mode & Files.S_IFMT) == Files.S_IFDIR) EmitDirectory(m.Value, childEntry, childPath);
                    else EmitFile(m.Value, childEntry, childPath);
                    continue;
                }
            }
            Emit(dirFd, child, childEntry, childPath);
        }
    }

    /// <summary>Emits a regular file held open (its header from fstat of that very fd).</summary>
    public void EmitFile(int fd, string entryName, string containerPath)
    {
        var st = Files.Fstat(fd, containerPath);
        if ((st.Mode & Files.S_IFMT) != Files.S_IFREG) return;
        if (st.Nlink > 1)
        {
            if (_links.TryGetValue((st.Dev, st.Ino), out var first))
            {
                sink.Add(new ArchiveEntry { Name = entryName, Mode = st.Mode, Uid = st.Uid, Gid = st.Gid, MtimeSec = st.Mtime, MtimeNsec = st.MtimeNsec, HardlinkTo = first });
                return;
            }
            _links[(st.Dev, st.Ino)] = entryName;
        }
        Files.Fcntl(fd, Files.F_SETFL, 0); // clear O_NONBLOCK: it only guarded the open against a swapped-in fifo
        using var data = new FileStream(new SafeFileHandle(fd, ownsHandle: false), FileAccess.Read, 0);
        var e = Describe(st, entryName, "", data);
        sink.Add(e);
    }

    static Fd OpenDirectory(int parentFd, string name, string containerPath)
    {
        var fd = Files.TryOpenAt(parentFd, name, Files.O_RDONLY | Files.O_DIRECTORY | Files.O_NOFOLLOW, 0, out int e);
        if (fd.IsValid || e is Errno.ENOENT or Errno.ELOOP or Errno.ENOTDIR) return fd;
        throw new LinuxException("open", containerPath, e);
    }

    internal static ArchiveEntry Describe(Files.Stat st, string name, string link, Stream? data = null) => new()
    {
        Name = name, Mode = st.Mode, Uid = st.Uid, Gid = st.Gid,
        Size = (st.Mode & Files.S_IFMT) == Files.S_IFREG ? st.Size : 0,
        MtimeSec = st.Mtime, MtimeNsec = st.MtimeNsec, LinkTarget = link, Rdev = st.Rdev, Data = data,
    };
}
