using System.Runtime.InteropServices;

namespace Skiff.Linux;

/// <summary>poll(2) on a single fd.</summary>
public static unsafe partial class Poll
{
    [StructLayout(LayoutKind.Sequential)] struct PollFd { public int Fd; public short Events; public short Revents; }
    [LibraryImport("libc", SetLastError = true)] private static partial int poll(PollFd* fds, nuint n, int timeout);

    /// <summary>Waits until <paramref name="fd"/> is readable (or hung up); false on timeout. -1 waits forever.</summary>
    public static bool Readable(int fd, int timeoutMs)
    {
        var p = new PollFd { Fd = fd, Events = 1 /* POLLIN */ };
        long deadline = timeoutMs < 0 ? long.MaxValue : Environment.TickCount64 + timeoutMs;
        while (true)
        {
            int wait = timeoutMs < 0 ? -1 : (int)Math.Max(0, deadline - Environment.TickCount64);
            int r = poll(&p, 1, wait);
            if (r > 0) return true;
            if (r == 0) return false;
            int e = Marshal.GetLastPInvokeError();
            if (e != Errno.EINTR) throw new LinuxException("poll", null, e);
        }
    }
}
