using System.Runtime.InteropServices;

namespace Skiff.Linux;

/// <summary>Resource limits (prlimit64).</summary>
public static unsafe partial class Rlimits
{
    static readonly string[] Names =
    [
        "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CORE", "RLIMIT_RSS", "RLIMIT_NPROC",
        "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS", "RLIMIT_SIGPENDING", "RLIMIT_MSGQUEUE",
        "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME",
    ];

    /// <summary>The resource number of "RLIMIT_NOFILE" etc., or -1.</summary>
    public static int Resource(string name) => Array.IndexOf(Names, name);
    public static string Name(int resource) => Names[resource];

    [LibraryImport("libc", SetLastError = true)] private static partial int prlimit(int pid, int resource, ulong* newLimit, ulong* oldLimit);

    public static (ulong Soft, ulong Hard) Get(int resource, int pid = 0)
    {
        ulong* old = stackalloc ulong[2];
        if (prlimit(pid, resource, null, old) != 0) throw LinuxException.FromLastError("prlimit", null, Name(resource));
        return (old[0], old[1]);
    }

    public static void Set(int resource, ulong soft, ulong hard, int pid = 0)
    {
        ulong* lim = stackalloc ulong[2];
        lim[0] = soft; lim[1] = hard;
        if (prlimit(pid, resource, lim, null) != 0)
            throw LinuxException.FromLastError("setrlimit", null, $"{Name(resource)} soft {soft} hard {hard}");
    }
}
