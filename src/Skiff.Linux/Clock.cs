using System.Runtime.InteropServices;

namespace Skiff.Linux;

/// <summary>clock_gettime(2) with nanoseconds (DateTime only has 100 ns ticks).</summary>
public static unsafe partial class Clock
{
    [StructLayout(LayoutKind.Sequential)] struct Timespec { public long Sec, Nsec; }
    [LibraryImport("libc", SetLastError = true)] private static partial int clock_gettime(int clock, Timespec* ts);

    public const int CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1, CLOCK_BOOTTIME = 7;

    /// <summary>Seconds and nanoseconds of <paramref name="clock"/>.</summary>
    public static (long Seconds, long Nanoseconds) Now(int clock = CLOCK_REALTIME)
    {
        Timespec ts;
        clock_gettime(clock, &ts);
        return (ts.Sec, ts.Nsec);
    }
}
