using System.Runtime.InteropServices;

namespace Skiff.Linux;

/// <summary>
/// seccomp(2): loading a classic-BPF filter (an array of <c>struct sock_filter</c>, 8 bytes each) with
/// SECCOMP_SET_MODE_FILTER, and asking the kernel which return actions it knows.
/// </summary>
public static unsafe partial class Seccomp
{
    const long SYS_seccomp = 317; // x86_64

    public const uint SECCOMP_SET_MODE_FILTER = 1, SECCOMP_GET_ACTION_AVAIL = 2;

    public const uint SECCOMP_FILTER_FLAG_TSYNC = 1, SECCOMP_FILTER_FLAG_LOG = 2, SECCOMP_FILTER_FLAG_SPEC_ALLOW = 4,
        SECCOMP_FILTER_FLAG_NEW_LISTENER = 8, SECCOMP_FILTER_FLAG_TSYNC_ESRCH = 16,
        SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV = 32;

    /// <summary>The kernel's limit on one filter (BPF_MAXINSNS).</summary>
    public const int MaxInstructions = 4096;

    /// <summary>Size of one <c>struct sock_filter</c>.</summary>
    public const int InstructionSize = 8;

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long syscall3(long nr, long a1, long a2, void* a3);

    [StructLayout(LayoutKind.Sequential)]
    struct SockFprog { public ushort Len; public byte* Filter; }

    /// <summary>
    /// Installs <paramref name="filter"/> on the calling thread (all threads with SECCOMP_FILTER_FLAG_TSYNC).
    /// Needs no_new_privs or CAP_SYS_ADMIN. Returns the notification listener fd when
    /// SECCOMP_FILTER_FLAG_NEW_LISTENER is set, otherwise <see cref="Fd.None"/>.
    /// </summary>
    public static Fd SetModeFilter(uint flags, ReadOnlySpan<byte> filter)
    {
        if (filter.Length == 0 || filter.Length % InstructionSize != 0 || filter.Length / InstructionSize > MaxInstructions)
            throw new ArgumentException($"a seccomp filter is 1..{MaxInstructions} instructions of {InstructionSize} bytes, not {filter.Length} bytes", nameof(filter));
        if (RuntimeInformation.ProcessArchitecture != Architecture.X64)
            throw new PlatformNotSupportedException("seccomp filters are built for x86_64 (syscall numbers and audit arches)");
        fixed (byte* p = filter)
        {
            var prog = new SockFprog { Len = (ushort)(filter.Length / InstructionSize), Filter = p };
            long r = syscall3(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
            if (r < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                string? hint = errno == Errno.EACCES ? "no_new_privs is not set and CAP_SYS_ADMIN is missing" : null;
                throw new LinuxException("seccomp", null, errno, hint ?? $"SECCOMP_SET_MODE_FILTER flags 0x{flags:x}");
            }
            // With TSYNC but without TSYNC_ESRCH a positive result is the id of a thread that could not sync.
            if (r > 0 && (flags & SECCOMP_FILTER_FLAG_TSYNC) != 0 && (flags & SECCOMP_FILTER_FLAG_TSYNC_ESRCH) == 0)
                throw new LinuxException("seccomp", null, Errno.ESRCH, $"TSYNC: thread {r} could not be synchronised");
            return (flags & SECCOMP_FILTER_FLAG_NEW_LISTENER) != 0 ? new Fd((int)r) : Fd.None;
        }
    }

    // SECCOMP_IOCTL_NOTIF_RECV / _SEND: _IOWR('!', 0, struct seccomp_notif) and _IOWR('!', 1, struct seccomp_notif_resp).
    const ulong SECCOMP_IOCTL_NOTIF_RECV = 0xC0502100, SECCOMP_IOCTL_NOTIF_SEND = 0xC0182101;

    [LibraryImport("libc", SetLastError = true)] private static partial int ioctl(int fd, ulong request, void* arg);

    /// <summary>A syscall stopped by SECCOMP_RET_USER_NOTIF (<c>struct seccomp_notif</c>).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Notification
    {
        public ulong Id;
        public uint Pid;
        public uint Flags;
        public int Nr;
        public uint Arch;
        public ulong InstructionPointer;
        public fixed ulong Args[6];
    }

    [StructLayout(LayoutKind.Sequential)]
    struct NotificationResponse { public ulong Id; public long Val; public int Error; public uint Flags; }

    /// <summary>SECCOMP_IOCTL_NOTIF_RECV: waits for the next notification on a listener.</summary>
    public static Notification Receive(int listener)
    {
        var n = new Notification(); // the kernel wants it zeroed
        while (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &n) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != Errno.EINTR) throw new LinuxException("ioctl", null, errno, "SECCOMP_IOCTL_NOTIF_RECV");
        }
        return n;
    }

    /// <summary>SECCOMP_IOCTL_NOTIF_SEND: answers notification <paramref name="id"/>: fail with <paramref name="errno"/>, or return <paramref name="value"/>.</summary>
    public static void Respond(int listener, ulong id, long value, int errno)
    {
        var r = new NotificationResponse { Id = id, Val = value, Error = errno == 0 ? 0 : -errno };
        if (ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &r) != 0) throw LinuxException.FromLastError("ioctl", null, "SECCOMP_IOCTL_NOTIF_SEND");
    }

    /// <summary>SECCOMP_GET_ACTION_AVAIL: whether the running kernel knows the return action <paramref name="action"/>.</summary>
    public static bool ActionAvailable(uint action)
    {
        uint a = action;
        return syscall3(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &a) == 0;
    }
}
