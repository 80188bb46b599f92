using System.Runtime.InteropServices;

namespace Skiff.Linux;

/// <summary>Giving memory back to the kernel: madvise(2) and glibc's malloc_trim(3).</summary>
public static unsafe partial class Memory
{
    public const int MADV_DONTNEED = 4;
    public const int PageSize = 4096;

    [LibraryImport("libc")] private static partial int madvise(nint addr, nuint length, int advice);
    [LibraryImport("libc")] private static partial int malloc_trim(nuint pad);

    /// <summary>madvise(2); false when the kernel refused. No errno is fetched: a caller that has just dropped its
    /// own code's pages wants nothing more to run than the call itself.</summary>
    public static bool Advise(nint address, nuint length, int advice) => madvise(address, length, advice) == 0;

    /// <summary>Returns free malloc memory at the top of the heap and in free chunks to the kernel.</summary>
    public static void TrimHeap() => malloc_trim(0);
}
