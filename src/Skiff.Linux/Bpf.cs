using System.Runtime.InteropServices;
using System.Text;

namespace Skiff.Linux;

/// <summary>
/// The bpf(2) system call for eBPF programs: load, attach/detach to a cgroup, query attached programs.
/// Only the commands Skiff uses; the <c>union bpf_attr</c> layouts are written out by offset.
/// </summary>
public static unsafe partial class Bpf
{
    const long SYS_bpf = 321; // x86_64
    const int BPF_PROG_LOAD = 5, BPF_PROG_ATTACH = 8, BPF_PROG_DETACH = 9, BPF_PROG_GET_FD_BY_ID = 13, BPF_PROG_QUERY = 16;

    public const uint BPF_PROG_TYPE_CGROUP_DEVICE = 15;
    public const uint BPF_CGROUP_DEVICE = 6;
    public const uint BPF_F_ALLOW_OVERRIDE = 1, BPF_F_ALLOW_MULTI = 2;

    /// <summary>Size of <c>union bpf_attr</c> we pass; the kernel accepts a shorter struct if the tail is zero.</summary>
    const int AttrSize = 128;

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long syscall3(long nr, long a1, byte* a2, long a3);

    static long Call(int cmd, byte* attr) => syscall3(SYS_bpf, cmd, attr, AttrSize);

    /// <summary>
    /// BPF_PROG_LOAD. <paramref name="instructions"/> are raw 8-byte <c>struct bpf_insn</c>s. On failure the load is
    /// repeated once with the verifier log on, and the log's tail goes into the exception.
    /// </summary>
    public static Fd LoadProgram(uint type, ReadOnlySpan<ulong> instructions, string license, uint expectedAttachType = 0)
    {
        int fd = TryLoad(type, instructions, license, expectedAttachType, null, out int errno);
        if (fd >= 0) return new Fd(fd);
        var log = new byte[64 * 1024];
        int again = TryLoad(type, instructions, license, expectedAttachType, log, out int errno2);
        if (again >= 0) return new Fd(again);
        int end = Array.IndexOf(log, (byte)0);
        var text = Encoding.UTF8.GetString(log, 0, end < 0 ? log.Length : end).Trim();
        if (text.Length > 400) text = "…" + text[^400..];
        throw new LinuxException("bpf(BPF_PROG_LOAD)", null, errno2 != 0 ? errno2 : errno,
            text.Length == 0 ? $"{instructions.Length} instructions" : $"verifier: {text}");
    }

    static int TryLoad(uint type, ReadOnlySpan<ulong> insns, string license, uint attachType, byte[]? log, out int errno)
    {
        byte* attr = stackalloc byte[AttrSize];
        new Span<byte>(attr, AttrSize).Clear();
        var lic = Encoding.ASCII.GetBytes(license + "\0");
        fixed (ulong* pi = insns)
        fixed (byte* pl = lic)
        fixed (byte* plog = log)
        {
            *(uint*)(attr + 0) = type;
            *(uint*)(attr + 4) = (uint)insns.Length;
            *(ulong*)(attr + 8) = (ulong)pi;
            *(ulong*)(attr + 16) = (ulong)pl;
            if (log is not null)
            {
                *(uint*)(attr + 24) = 1; // log_level
                *(uint*)(attr + 28) = (uint)log.Length;
                *(ulong*)(attr + 32) = (ulong)plog;
            }
            *(uint*)(attr + 68) = attachType; // expected_attach_type
            long r = Call(BPF_PROG_LOAD, attr);
            errno = r < 0 ? Marshal.GetLastPInvokeError() : 0;
            return (int)r;
        }
    }

    /// <summary>BPF_PROG_ATTACH of <paramref name="programFd"/> to the cgroup directory <paramref name="cgroupFd"/>.</summary>
    public static void Attach(int cgroupFd, int programFd, uint attachType, uint flags, string? pathForError = null)
    {
        byte* attr = stackalloc byte[AttrSize];
        new Span<byte>(attr, AttrSize).Clear();
        *(uint*)(attr + 0) = (uint)cgroupFd;
        *(uint*)(attr + 4) = (uint)programFd;
        *(uint*)(attr + 8) = attachType;
        *(uint*)(attr + 12) = flags;
        if (Call(BPF_PROG_ATTACH, attr) < 0) throw LinuxException.FromLastError("bpf(BPF_PROG_ATTACH)", pathForError);
    }

    /// <summary>BPF_PROG_DETACH of one program (needed with BPF_F_ALLOW_MULTI). Returns 0 or the errno.</summary>
    public static int Detach(int cgroupFd, int programFd, uint attachType)
    {
        byte* attr = stackalloc byte[AttrSize];
        new Span<byte>(attr, AttrSize).Clear();
        *(uint*)(attr + 0) = (uint)cgroupFd;
        *(uint*)(attr + 4) = (uint)programFd;
        *(uint*)(attr + 8) = attachType;
        return Call(BPF_PROG_DETACH, attr) < 0 ? Marshal.GetLastPInvokeError() : 0;
    }

    /// <summary>BPF_PROG_QUERY: the ids of the programs attached to the cgroup directly (not inherited).</summary>
    public static uint[] QueryAttached(int cgroupFd, uint attachType, string? pathForError = null)
    {
        var ids = new uint[64];
        byte* attr = stackalloc byte[AttrSize];
        while (true)
        {
            new Span<byte>(attr, AttrSize).Clear();
            fixed (uint* p = ids)
            {
                *(uint*)(attr + 0) = (uint)cgroupFd;
                *(uint*)(attr + 4) = attachType;
                *(ulong*)(attr + 16) = (ulong)p;
                *(uint*)(attr + 24) = (uint)ids.Length;
                long r = Call(BPF_PROG_QUERY, attr);
                uint count = *(uint*)(attr + 24);
                if (r < 0)
                {
                    int e = Marshal.GetLastPInvokeError();
                    if (e == Errno.ENOSPC && count > ids.Length) { ids = new uint[count]; continue; }
                    throw new LinuxException("bpf(BPF_PROG_QUERY)", pathForError, e);
                }
                return ids.AsSpan(0, (int)count).ToArray();
            }
        }
    }

    /// <summary>BPF_PROG_GET_FD_BY_ID. Returns an invalid fd with the errno if the program is gone.</summary>
    public static Fd ProgramById(uint id, out int errno)
    {
        byte* attr = stackalloc byte[AttrSize];
        new Span<byte>(attr, AttrSize).Clear();
        *(uint*)(attr + 0) = id;
        long r = Call(BPF_PROG_GET_FD_BY_ID, attr);
        errno = r < 0 ? Marshal.GetLastPInvokeError() : 0;
        return new Fd((int)r);
    }
}
