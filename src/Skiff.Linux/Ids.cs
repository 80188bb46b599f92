using System.Runtime.InteropServices;

namespace Skiff.Linux;

/// <summary>The caller's real uid and gid.</summary>
public static partial class Ids
{
    [LibraryImport("libc")] private static partial uint getuid();
    [LibraryImport("libc")] private static partial uint getgid();
    public static uint Uid => getuid();
    public static uint Gid => getgid();
}
