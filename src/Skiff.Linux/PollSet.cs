using System.Runtime.InteropServices;

namespace Skiff.Linux;

/// <summary>poll(2) over many fds at once, on caller-owned memory (no allocation per call).</summary>
public static unsafe partial class Poll
{
    public const short POLLIN = 0x1, POLLPRI = 0x2, POLLOUT = 0x4, POLLERR = 0x8, POLLHUP = 0x10, POLLNVAL = 0x20;

    /// <summary>One struct pollfd.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Entry { public int Fd; public short Events; public short Revents; }

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)] private static partial int pollEntries(Entry* fds, nuint n, int timeout);

    /// <summary>Waits for any of <paramref name="count"/> entries; returns how many are ready (0 on timeout or a
    /// signal). -1 waits forever.</summary>
    public static int Wait(Entry* entries, int count, int timeoutMs)
    {
        int r = pollEntries(entries, (nuint)count, timeoutMs);
        if (r >= 0) return r;
        int e = Marshal.GetLastPInvokeError();
        if (e == Errno.EINTR) return 0;
        throw new LinuxException("poll", null, e);
    }
}
