using System.Runtime.InteropServices;

namespace Skiff.Linux;

/// <summary>read/write/send that report errors as a negative errno instead of throwing: for event loops on
/// non-blocking fds where EAGAIN and EPIPE are ordinary outcomes, and no allocation may happen.</summary>
public static unsafe partial class Files
{
    /// <summary>read(2): bytes read (0 = EOF) or -errno. EINTR is retried.</summary>
    public static int ReadSome(int fd, byte* buffer, int length)
    {
        while (true)
        {
            nint n = read(fd, buffer, length);
            if (n >= 0) return (int)n;
            int e = Marshal.GetLastPInvokeError();
            if (e != Errno.EINTR) return -e;
        }
    }

    /// <summary>write(2): bytes written or -errno. EINTR is retried.</summary>
    public static int WriteSome(int fd, byte* buffer, int length)
    {
        while (true)
        {
            nint n = write(fd, buffer, length);
            if (n >= 0) return (int)n;
            int e = Marshal.GetLastPInvokeError();
            if (e != Errno.EINTR) return -e;
        }
    }

    /// <summary>Writes everything, waiting through EAGAIN; 0 or -errno.</summary>
    public static int WriteFully(int fd, byte* buffer, int length)
    {
        int off = 0;
        while (off < length)
        {
            int n = WriteSome(fd, buffer + off, length - off);
            if (n == -Errno.EAGAIN) { Poll.Writable(fd, -1); continue; }
            if (n < 0) return n;
            off += n;
        }
        return 0;
    }

    /// <summary>Sets or clears O_NONBLOCK.</summary>
    public static void SetNonBlocking(int fd, bool on)
    {
        int flags = Fcntl(fd, F_GETFL, 0);
        Fcntl(fd, F_SETFL, on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK);
    }
}

public static unsafe partial class Poll
{
    /// <summary>Waits until <paramref name="fd"/> can be written (or errors); false on timeout.</summary>
    public static bool Writable(int fd, int timeoutMs)
    {
        var e = new Entry { Fd = fd, Events = POLLOUT };
        while (true)
        {
            int r = pollEntries(&e, 1, timeoutMs);
            if (r > 0) return true;
            if (r == 0) return false;
            int err = Marshal.GetLastPInvokeError();
            if (err != Errno.EINTR) throw new LinuxException("poll", null, err);
        }
    }
}

public static unsafe partial class Sockets
{
    [LibraryImport("libc", SetLastError = true)] private static partial nint send(int fd, byte* buf, nuint len, int flags);
    [LibraryImport("libc", SetLastError = true)] private static partial int setsockopt(int fd, int level, int name, void* value, uint len);
    [LibraryImport("libc", SetLastError = true)] private static partial int shutdown(int fd, int how);

    /// <summary>Sends all of <paramref name="length"/> bytes (MSG_NOSIGNAL: a gone peer is -EPIPE, not SIGPIPE).
    /// Returns 0 or -errno (-EAGAIN when a send timeout expired).</summary>
    public static int SendAll(int fd, byte* buffer, int length)
    {
        int off = 0;
        while (off < length)
        {
            nint n = send(fd, buffer + off, (nuint)(length - off), 0x4000 /* MSG_NOSIGNAL */);
            if (n < 0)
            {
                int e = Marshal.GetLastPInvokeError();
                if (e == Errno.EINTR) continue;
                return -e;
            }
            off += (int)n;
        }
        return 0;
    }

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)] private static partial nint recvSome(int fd, byte* buf, nuint len, int flags);

    /// <summary>recv(2) with MSG_DONTWAIT: bytes read, 0 at EOF, or -errno (-EAGAIN when nothing is there), even on
    /// a blocking socket.</summary>
    public static int ReceiveNow(int fd, byte* buffer, int length)
    {
        while (true)
        {
            nint n = recvSome(fd, buffer, (nuint)length, 0x40 /* MSG_DONTWAIT */);
            if (n >= 0) return (int)n;
            int e = Marshal.GetLastPInvokeError();
            if (e != Errno.EINTR) return -e;
        }
    }

    /// <summary>SO_SNDTIMEO: a blocking send gives up after <paramref name="milliseconds"/>.</summary>
    public static void SetSendTimeout(int fd, int milliseconds)
    {
        long* tv = stackalloc long[2];
        tv[0] = milliseconds / 1000; tv[1] = milliseconds % 1000 * 1000;
        if (setsockopt(fd, 1 /* SOL_SOCKET */, 21 /* SO_SNDTIMEO */, tv, 16) != 0) throw LinuxException.FromLastError("setsockopt", null, "SO_SNDTIMEO");
    }

    /// <summary>shutdown(2): 0 = SHUT_RD, 1 = SHUT_WR, 2 = SHUT_RDWR. Errors are ignored (peer may be gone).</summary>
    public static void Shutdown(int fd, int how) => shutdown(fd, how);
}
