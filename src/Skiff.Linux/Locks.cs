using System.Runtime.InteropServices;

namespace Skiff.Linux;

/// <summary>flock(2) advisory locks: whole-file, released when the fd closes (also when the process dies).</summary>
public static partial class Locks
{
    public const int LOCK_SH = 1, LOCK_EX = 2, LOCK_NB = 4, LOCK_UN = 8;

    [LibraryImport("libc", SetLastError = true)] private static partial int flock(int fd, int op);

    /// <summary>Opens (creating, unless <paramref name="create"/> is false) <paramref name="path"/> and takes the lock;
    /// dispose the fd to release it.</summary>
    public static Fd Take(string path, bool exclusive, bool create = true)
    {
        var fd = Files.Open(path, create ? Files.O_RDWR | Files.O_CREAT : Files.O_RDWR, 0x1a4);
        int op = exclusive ? LOCK_EX : LOCK_SH;
        while (flock(fd.Value, op) != 0)
        {
            int e = Marshal.GetLastPInvokeError();
            if (e == Errno.EINTR) continue;
            fd.Dispose();
            throw new LinuxException("flock", path, e);
        }
        return fd;
    }

    /// <summary>Non-blocking variant: an invalid fd when someone else holds a conflicting lock.</summary>
    public static Fd TryTake(string path, bool exclusive, bool create = true)
    {
        var fd = Files.Open(path, create ? Files.O_RDWR | Files.O_CREAT : Files.O_RDWR, 0x1a4);
        if (flock(fd.Value, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) == 0) return fd;
        int e = Marshal.GetLastPInvokeError();
        fd.Dispose();
        if (e == Errno.EAGAIN) return Fd.None;
        throw new LinuxException("flock", path, e);
    }
}
