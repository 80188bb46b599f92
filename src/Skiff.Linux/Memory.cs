using System.Runtime.InteropServices;

namespace Skiff.Linux;

/// <summary>Giving memory back to the kernel: madvise(2), glibc's malloc_trim(3) and mallopt(3).</summary>
public static unsafe partial class Memory
{
    public const int MADV_RANDOM = 1, MADV_DONTNEED = 4;
    public const int PageSize = 4096;

    [LibraryImport("libc", SetLastError = true)] private static partial int madvise(nint addr, nuint length, int advice);
    [LibraryImport("libc")] private static partial int malloc_trim(nuint pad);

    /// <summary>madvise(2); returns 0 or the errno.</summary>
    public static int Advise(nint address, nuint length, int advice)
        => madvise(address, length, advice) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>Returns free malloc memory at the top of the heap and in free chunks to the kernel.</summary>
    public static void TrimHeap() => malloc_trim(0);
}
