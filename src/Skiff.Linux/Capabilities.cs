using System.Runtime.InteropServices;

namespace Skiff.Linux;

/// <summary>Capability names, numbers and the capget/capset calls (v3, 64-bit sets).</summary>
public static unsafe partial class Capabilities
{
    static readonly string[] Names =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
        "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
        "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
        "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
        "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
        "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN",
        "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
        "CAP_CHECKPOINT_RESTORE",
    ];

    public static IReadOnlyList<string> All => Names;

    /// <summary>The number of a capability name ("CAP_SYS_ADMIN"), or -1.</summary>
    public static int Number(string name) => Array.IndexOf(Names, name);

    public static string Name(int number) => number >= 0 && number < Names.Length ? Names[number] : $"CAP_{number}";

    static int? lastCap;
    /// <summary>The kernel's highest capability number (/proc/sys/kernel/cap_last_cap).</summary>
    public static int LastCap => lastCap ??= int.Parse(Files.ReadText("/proc/sys/kernel/cap_last_cap").Trim());

    [StructLayout(LayoutKind.Sequential)] struct Header { public uint Version; public int Pid; }
    [StructLayout(LayoutKind.Sequential)] struct Data { public uint Effective, Permitted, Inheritable; }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long syscall2(long nr, void* a1, void* a2);

    public readonly record struct Sets(ulong Effective, ulong Permitted, ulong Inheritable);

    public static Sets Get()
    {
        var h = new Header { Version = 0x20080522, Pid = 0 };
        Data* d = stackalloc Data[2];
        if (syscall2(125, &h, d) != 0) throw LinuxException.FromLastError("capget");
        return new Sets(d[0].Effective | ((ulong)d[1].Effective << 32), d[0].Permitted | ((ulong)d[1].Permitted << 32),
            d[0].Inheritable | ((ulong)d[1].Inheritable << 32));
    }

    /// <summary>capset(2) for the calling thread.</summary>
    public static void Set(Sets s)
    {
        var h = new Header { Version = 0x20080522, Pid = 0 };
        Data* d = stackalloc Data[2];
        d[0] = new Data { Effective = (uint)s.Effective, Permitted = (uint)s.Permitted, Inheritable = (uint)s.Inheritable };
        d[1] = new Data { Effective = (uint)(s.Effective >> 32), Permitted = (uint)(s.Permitted >> 32), Inheritable = (uint)(s.Inheritable >> 32) };
        if (syscall2(126, &h, d) != 0) throw LinuxException.FromLastError("capset");
    }

    public static bool InBounding(int cap) => Processes.TryPrctl(Processes.PR_CAPBSET_READ, (nuint)cap) == 0
        && Processes.Prctl(Processes.PR_CAPBSET_READ, (nuint)cap) == 1;

    public static void DropBounding(int cap)
        => Processes.Prctl(Processes.PR_CAPBSET_DROP, (nuint)cap, what: $"drop {Name(cap)} from the bounding set");

    public static void ClearAmbient() => Processes.Prctl(Processes.PR_CAP_AMBIENT, 4, what: "clear ambient capabilities");

    public static void RaiseAmbient(int cap)
        => Processes.Prctl(Processes.PR_CAP_AMBIENT, 2, (nuint)cap, what: $"raise ambient {Name(cap)}");
}
