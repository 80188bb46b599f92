using Skiff.Runtime.Seccomp;
using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Tests.Seccomp;

/// <summary>
/// What a profile means, written plainly (no BPF): the oracle the compiled programs are checked against.
/// ABI from (arch, nr); rules of the spec tried in order, first match wins, conditions ANDed; libseccomp's
/// bad-arch/x32 rules and runc's ENOSYS stub.
/// </summary>
public static class ReferenceFilter
{
    public static uint Evaluate(Spec.Seccomp spec, SyscallInput input)
    {
        uint dflt = ActionOf(spec.DefaultAction!, spec.DefaultErrnoRet);
        var arches = spec.Architectures ?? [];
        bool x86 = arches.Contains("SCMP_ARCH_X86"), x32 = arches.Contains("SCMP_ARCH_X32");
        SyscallAbi abi;
        uint nr = (uint)input.Nr;
        if (input.Arch == Architectures.AuditArchI386)
        {
            if (!x86) return SeccompAction.KillThread;
            abi = SyscallAbi.X86;
        }
        else if (input.Arch == Architectures.AuditArchX86_64)
        {
            if (nr >= 0x4000_0000 && nr != uint.MaxValue)
            {
                if (!x32) return SeccompAction.KillThread;
                abi = SyscallAbi.X32;
            }
            else abi = SyscallAbi.X86_64;
        }
        else return SeccompAction.KillThread;
        if (nr == uint.MaxValue) return dflt;

        int highest = -1;
        uint? decided = null;
        foreach (var s in spec.Syscalls ?? [])
            foreach (var name in s.Names!)
            {
                int n = SyscallTable.Number(abi, name);
                highest = Math.Max(highest, n); // multiplexed calls do not count (runc resolves names per arch)
                if (decided is not null) continue;
                var args = s.Args ?? [];
                if (n == (int)nr && args.All(a => Holds(a, input.Args[a.Index], abi == SyscallAbi.X86_64)))
                    decided = ActionOf(s.Action!, s.ErrnoRet);
                // i386: socketcall(2)/ipc(2) with arg0 = the call, the rule's other conditions kept (as libseccomp).
                else if (abi == SyscallAbi.X86 && Multiplexed(name) is (int mux, int call) && mux == (int)nr &&
                         (uint)input.Args[0] == call && args.Where(a => a.Index != 0).All(a => Holds(a, input.Args[a.Index], false)))
                    decided = ActionOf(s.Action!, s.ErrnoRet);
            }
        if (decided is { } d) return d;
        uint kind = dflt & 0xffff_0000;
        bool letsRun = kind is SeccompAction.Allow or SeccompAction.Log or SeccompAction.Trace;
        if (!letsRun && dflt != (SeccompAction.Errno | 38) && highest >= 0 && nr > (uint)highest)
            return SeccompAction.Errno | 38;
        return dflt;
    }

    static readonly string[] SocketCalls = ["", "socket", "bind", "connect", "listen", "accept", "getsockname", "getpeername",
        "socketpair", "send", "recv", "sendto", "recvfrom", "shutdown", "setsockopt", "getsockopt", "sendmsg", "recvmsg",
        "accept4", "recvmmsg", "sendmmsg"];
    static readonly Dictionary<string, int> IpcCalls = new()
    {
        ["semop"] = 1, ["semget"] = 2, ["semctl"] = 3, ["semtimedop"] = 4, ["msgsnd"] = 11, ["msgrcv"] = 12,
        ["msgget"] = 13, ["msgctl"] = 14, ["shmat"] = 21, ["shmdt"] = 22, ["shmget"] = 23, ["shmctl"] = 24,
    };

    /// <summary>(i386 multiplexer, call) for a socket or IPC call name (SYS_* of linux/net.h, ipc call numbers).</summary>
    static (int, int)? Multiplexed(string name) =>
        Array.IndexOf(SocketCalls, name) is > 0 and var s ? (102, s) : IpcCalls.TryGetValue(name, out var i) ? (117, i) : null;

    static bool Holds(SeccompArg a, ulong arg, bool wide)
    {
        ulong v = a.Value, v2 = a.ValueTwo;
        if (!wide) { arg = (uint)arg; v = (uint)v; v2 = (uint)v2; }
        return a.Op switch
        {
            "SCMP_CMP_NE" => arg != v,
            "SCMP_CMP_LT" => arg < v,
            "SCMP_CMP_LE" => arg <= v,
            "SCMP_CMP_EQ" => arg == v,
            "SCMP_CMP_GE" => arg >= v,
            "SCMP_CMP_GT" => arg > v,
            "SCMP_CMP_MASKED_EQ" => (arg & v) == (v2 & v),
            _ => throw new ArgumentException(a.Op),
        };
    }

    public static uint ActionOf(string name, uint? errno) => name switch
    {
        "SCMP_ACT_KILL" or "SCMP_ACT_KILL_THREAD" => 0,
        "SCMP_ACT_KILL_PROCESS" => 0x8000_0000,
        "SCMP_ACT_TRAP" => 0x0003_0000,
        "SCMP_ACT_ERRNO" => 0x0005_0000 | (errno ?? 1),
        "SCMP_ACT_TRACE" => 0x7ff0_0000 | (errno ?? 1),
        "SCMP_ACT_LOG" => 0x7ffc_0000,
        "SCMP_ACT_ALLOW" => 0x7fff_0000,
        "SCMP_ACT_NOTIFY" => 0x7fc0_0000,
        _ => throw new ArgumentException(name),
    };
}
