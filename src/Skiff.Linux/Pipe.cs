using System.Runtime.InteropServices;

namespace Skiff.Linux;

/// <summary>pipe2(2) with O_CLOEXEC on both ends.</summary>
public static unsafe partial class Pipe
{
    [LibraryImport("libc", SetLastError = true)] private static partial int pipe2(int* fds, int flags);

    public static (Fd Read, Fd Write) Create()
    {
        int* fds = stackalloc int[2];
        if (pipe2(fds, Files.O_CLOEXEC) != 0) throw LinuxException.FromLastError("pipe2");
        return (new Fd(fds[0]), new Fd(fds[1]));
    }
}
