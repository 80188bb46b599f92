using System.Runtime.InteropServices;
using System.Text;

namespace Skiff.Linux;

/// <summary>open(2) flags and file-level calls. Every call that fails throws <see cref="LinuxException"/>.</summary>
public static unsafe partial class Files
{
    public const int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0x40, O_EXCL = 0x80, O_NOCTTY = 0x100,
        O_TRUNC = 0x200, O_APPEND = 0x400, O_NONBLOCK = 0x800, O_DIRECTORY = 0x10000, O_NOFOLLOW = 0x20000,
        O_CLOEXEC = 0x80000, O_PATH = 0x200000;
    public const int AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100, AT_REMOVEDIR = 0x200, AT_EMPTY_PATH = 0x1000;
    public const uint S_IFMT = 0xF000, S_IFDIR = 0x4000, S_IFCHR = 0x2000, S_IFBLK = 0x6000, S_IFREG = 0x8000,
        S_IFIFO = 0x1000, S_IFLNK = 0xA000, S_IFSOCK = 0xC000;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags, uint mode);
    [LibraryImport("libc", EntryPoint = "openat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int openat(int dirfd, string path, int flags, uint mode);
    [LibraryImport("libc", SetLastError = true)] private static partial nint read(int fd, byte* buf, nint count);
    [LibraryImport("libc", SetLastError = true)] private static partial nint write(int fd, byte* buf, nint count);
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int mkdirat(int dirfd, string path, uint mode);
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int mknodat(int dirfd, string path, uint mode, ulong dev);
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int symlinkat(string target, int dirfd, string linkpath);
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int unlinkat(int dirfd, string path, int flags);
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int fchownat(int dirfd, string path, uint uid, uint gid, int flags);
    [LibraryImport("libc", SetLastError = true)] private static partial int fchown(int fd, uint uid, uint gid);
    [LibraryImport("libc", SetLastError = true)] private static partial int fchmod(int fd, uint mode);
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int fchmodat(int dirfd, string path, uint mode, int flags);
    [LibraryImport("libc", SetLastError = true)] private static partial int dup3(int oldfd, int newfd, int flags);
    [LibraryImport("libc", SetLastError = true)] private static partial int fcntl(int fd, int cmd, int arg);
    [LibraryImport("libc", SetLastError = true)] private static partial int fstatfs(int fd, StatFs* buf);
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int statfs(string path, StatFs* buf);
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int fstatat(int dirfd, string path, Stat* buf, int flags);
    [LibraryImport("libc", SetLastError = true)] private static partial uint umask(uint mask);
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint readlinkat(int dirfd, string path, byte* buf, nint size);
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int mkfifo(string path, uint mode);

    public static Fd Open(string path, int flags, uint mode = 0)
    {
        int fd = open(path, flags | O_CLOEXEC, mode);
        if (fd < 0) throw LinuxException.FromLastError("open", path);
        return new Fd(fd);
    }

    /// <summary>Like <see cref="Open"/> but returns an invalid fd with the errno instead of throwing.</summary>
    public static Fd TryOpen(string path, int flags, out int errno, uint mode = 0)
    {
        int fd = open(path, flags | O_CLOEXEC, mode);
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return new Fd(fd);
    }

    public static Fd OpenAt(int dirfd, string path, int flags, uint mode = 0)
    {
        int fd = openat(dirfd, path, flags | O_CLOEXEC, mode);
        if (fd < 0) throw LinuxException.FromLastError("openat", path);
        return new Fd(fd);
    }

    /// <summary>Like <see cref="OpenAt"/> but returns an invalid fd with the errno instead of throwing.</summary>
    public static Fd TryOpenAt(int dirfd, string path, int flags, uint mode, out int errno)
    {
        int fd = openat(dirfd, path, flags | O_CLOEXEC, mode);
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return new Fd(fd);
    }

    public const int SEEK_SET = 0, SEEK_CUR = 1, SEEK_END = 2;
    [LibraryImport("libc", SetLastError = true)] private static partial long lseek(int fd, long offset, int whence);

    public static long Seek(int fd, long offset, int whence)
    {
        long r = lseek(fd, offset, whence);
        if (r < 0) throw LinuxException.FromLastError("lseek");
        return r;
    }

    public static int Read(int fd, Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                nint n = read(fd, p, buffer.Length);
                if (n >= 0) return (int)n;
                int e = Marshal.GetLastPInvokeError();
                if (e != Errno.EINTR) throw new LinuxException("read", null, e);
            }
        }
    }

    public static void WriteAll(int fd, ReadOnlySpan<byte> data, string? path = null)
    {
        fixed (byte* p = data)
        {
            nint off = 0;
            while (off < data.Length)
            {
                nint n = write(fd, p + off, data.Length - off);
                if (n < 0)
                {
                    int e = Marshal.GetLastPInvokeError();
                    if (e == Errno.EINTR) continue;
                    throw new LinuxException("write", path, e);
                }
                off += n;
            }
        }
    }

    /// <summary>Writes a whole small file (cgroup, proc and sysfs files want one write).</summary>
    public static void WriteText(string path, string text, int flags = O_WRONLY | O_TRUNC)
    {
        using var fd = Open(path, flags);
        Span<byte> buf = stackalloc byte[Encoding.UTF8.GetMaxByteCount(Math.Min(text.Length, 1024))];
        if (text.Length <= 1024)
        {
            int n = Encoding.UTF8.GetBytes(text, buf);
            WriteAll(fd.Value, buf[..n], path);
        }
        else WriteAll(fd.Value, Encoding.UTF8.GetBytes(text), path);
    }

    /// <summary>Reads a small file completely (proc, sysfs, cgroup files).</summary>
    public static string ReadText(string path)
    {
        using var fd = Open(path, O_RDONLY);
        return ReadToEnd(fd.Value);
    }

    public static string ReadToEnd(int fd)
    {
        var buf = new byte[4096];
        int len = 0;
        while (true)
        {
            if (len == buf.Length) Array.Resize(ref buf, buf.Length * 2);
            int n = Read(fd, buf.AsSpan(len));
            if (n == 0) break;
            len += n;
        }
        return Encoding.UTF8.GetString(buf, 0, len);
    }

    public static void MkdirAt(int dirfd, string path, uint mode)
    {
        if (mkdirat(dirfd, path, mode) != 0) throw LinuxException.FromLastError("mkdirat", path);
    }

    public static bool TryMkdirAt(int dirfd, string path, uint mode, out int errno)
    {
        errno = mkdirat(dirfd, path, mode) == 0 ? 0 : Marshal.GetLastPInvokeError();
        return errno == 0;
    }

    public static void MknodAt(int dirfd, string path, uint mode, ulong dev)
    {
        if (mknodat(dirfd, path, mode, dev) != 0) throw LinuxException.FromLastError("mknod", path);
    }

    public static void SymlinkAt(string target, int dirfd, string linkpath)
    {
        if (symlinkat(target, dirfd, linkpath) != 0) throw LinuxException.FromLastError("symlink", linkpath);
    }

    public static int UnlinkAt(int dirfd, string path, int flags)
        => unlinkat(dirfd, path, flags) == 0 ? 0 : Marshal.GetLastPInvokeError();

    public static void FchownAt(int dirfd, string path, uint uid, uint gid, int flags)
    {
        if (fchownat(dirfd, path, uid, gid, flags) != 0) throw LinuxException.FromLastError("chown", path);
    }

    public static void Fchown(int fd, uint uid, uint gid, string? pathForError = null)
    {
        if (fchown(fd, uid, gid) != 0) throw LinuxException.FromLastError("fchown", pathForError);
    }

    public static void Fchmod(int fd, uint mode, string? pathForError = null)
    {
        if (fchmod(fd, mode) != 0) throw LinuxException.FromLastError("fchmod", pathForError);
    }

    public static void Fchmodat(int dirfd, string path, uint mode)
    {
        if (fchmodat(dirfd, path, mode, 0) != 0) throw LinuxException.FromLastError("chmod", path);
    }

    public static void Dup3(int oldfd, int newfd, int flags = 0)
    {
        if (dup3(oldfd, newfd, flags) < 0) throw LinuxException.FromLastError("dup3", null, $"{oldfd} -> {newfd}");
    }

    public const int F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, F_DUPFD_CLOEXEC = 1030, F_ADD_SEALS = 1033,
        FD_CLOEXEC = 1;

    public static int Fcntl(int fd, int cmd, int arg)
    {
        int r = fcntl(fd, cmd, arg);
        if (r < 0) throw LinuxException.FromLastError("fcntl", null, $"fd {fd} cmd {cmd}");
        return r;
    }

    public static void SetCloexec(int fd, bool on)
    {
        int flags = Fcntl(fd, F_GETFD, 0);
        Fcntl(fd, F_SETFD, on ? flags | FD_CLOEXEC : flags & ~FD_CLOEXEC);
    }

    public const long PROC_SUPER_MAGIC = 0x9fa0, SYSFS_MAGIC = 0x62656572, TMPFS_MAGIC = 0x01021994,
        CGROUP_SUPER_MAGIC = 0x27e0eb, CGROUP2_SUPER_MAGIC = 0x63677270, OVERLAYFS_SUPER_MAGIC = 0x794c7630;

    [StructLayout(LayoutKind.Sequential)]
    public struct StatFs
    {
        public long Type, Bsize, Blocks, Bfree, Bavail, Files, Ffree;
        public long Fsid; public long Namelen, Frsize, Flags;
        public long Spare0, Spare1, Spare2, Spare3;
    }

    /// <summary>The filesystem magic of an open fd (fstatfs f_type).</summary>
    public static long FsType(int fd, string? pathForError = null)
    {
        StatFs s;
        if (fstatfs(fd, &s) != 0) throw LinuxException.FromLastError("fstatfs", pathForError);
        return s.Type;
    }

    public static long FsType(string path)
    {
        StatFs s;
        if (statfs(path, &s) != 0) throw LinuxException.FromLastError("statfs", path);
        return s.Type;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct Stat
    {
        public ulong Dev, Ino, Nlink;
        public uint Mode, Uid, Gid; int pad0;
        public ulong Rdev; public long Size, Blksize, Blocks;
        public long Atime, AtimeNsec, Mtime, MtimeNsec, Ctime, CtimeNsec;
        long r0, r1, r2;
    }

    public static bool TryStatAt(int dirfd, string path, int flags, out Stat st, out int errno)
    {
        Stat s;
        int r = fstatat(dirfd, path, &s, flags);
        st = s;
        errno = r == 0 ? 0 : Marshal.GetLastPInvokeError();
        return r == 0;
    }

    public static Stat StatAt(int dirfd, string path, int flags)
    {
        if (!TryStatAt(dirfd, path, flags, out var st, out int e)) throw new LinuxException("stat", path, e);
        return st;
    }

    public static Stat Fstat(int fd, string? pathForError = null)
    {
        if (!TryStatAt(fd, "", AT_EMPTY_PATH, out var st, out int e)) throw new LinuxException("fstat", pathForError, e);
        return st;
    }

    public static uint Umask(uint mask) => umask(mask);

    public static string ReadlinkAt(int dirfd, string path)
    {
        var buf = new byte[4096];
        fixed (byte* p = buf)
        {
            nint n = readlinkat(dirfd, path, p, buf.Length);
            if (n < 0) throw LinuxException.FromLastError("readlink", path);
            return Encoding.UTF8.GetString(buf, 0, (int)n);
        }
    }

    public static void Mkfifo(string path, uint mode)
    {
        if (mkfifo(path, mode) != 0) throw LinuxException.FromLastError("mkfifo", path);
    }
}
