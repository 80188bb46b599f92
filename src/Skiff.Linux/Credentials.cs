using System.Runtime.InteropServices;

namespace Skiff.Linux;

/// <summary>setresuid/setresgid/setgroups. The raw syscalls act on the calling thread only: the thread that
/// calls them must be the one that calls execve (this is how oar's init uses them).</summary>
public static unsafe partial class Credentials
{
    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long syscall3(long nr, long a1, long a2, long a3);
    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long syscall_groups(long nr, long n, uint* list);

    public static void SetGroups(ReadOnlySpan<uint> groups)
    {
        fixed (uint* p = groups)
            if (syscall_groups(116, groups.Length, p) != 0) throw LinuxException.FromLastError("setgroups");
    }

    public static void SetResGid(uint gid)
    {
        if (syscall3(119, gid, gid, gid) != 0) throw LinuxException.FromLastError("setresgid", null, $"gid {gid}");
    }

    public static void SetResUid(uint uid)
    {
        if (syscall3(117, uid, uid, uid) != 0) throw LinuxException.FromLastError("setresuid", null, $"uid {uid}");
    }
}
