namespace Skiff.Runtime.Seccomp;

/// <summary>
/// i386 reaches the socket and System V IPC calls also through the multiplexers socketcall(2) and ipc(2), whose
/// first argument selects the call (SYS_SOCKET = 1 …, SEMOP = 1 …). As libseccomp does, a rule for such a call
/// on the x86 ABI also applies to the multiplexer with <c>arg0 == call</c> in place of any condition on arg0
/// (the other conditions are kept, although the multiplexer's arguments differ); without that, a 32-bit
/// program could bypass a rule on socket() by calling socketcall().
/// </summary>
internal static class Multiplexers
{
    public const int Socketcall = 102, Ipc = 117; // i386 numbers

    /// <summary>The multiplexer syscall (i386) and call number for <paramref name="name"/>, or false.</summary>
    public static bool TryGet(string name, out int syscall, out int call)
    {
        (syscall, call) = name switch
        {
            "socket" => (Socketcall, 1), "bind" => (Socketcall, 2), "connect" => (Socketcall, 3), "listen" => (Socketcall, 4),
            "accept" => (Socketcall, 5), "getsockname" => (Socketcall, 6), "getpeername" => (Socketcall, 7),
            "socketpair" => (Socketcall, 8), "send" => (Socketcall, 9), "recv" => (Socketcall, 10), "sendto" => (Socketcall, 11),
            "recvfrom" => (Socketcall, 12), "shutdown" => (Socketcall, 13), "setsockopt" => (Socketcall, 14),
            "getsockopt" => (Socketcall, 15), "sendmsg" => (Socketcall, 16), "recvmsg" => (Socketcall, 17),
            "accept4" => (Socketcall, 18), "recvmmsg" => (Socketcall, 19), "sendmmsg" => (Socketcall, 20),
            "semop" => (Ipc, 1), "semget" => (Ipc, 2), "semctl" => (Ipc, 3), "semtimedop" => (Ipc, 4),
            "msgsnd" => (Ipc, 11), "msgrcv" => (Ipc, 12), "msgget" => (Ipc, 13), "msgctl" => (Ipc, 14),
            "shmat" => (Ipc, 21), "shmdt" => (Ipc, 22), "shmget" => (Ipc, 23), "shmctl" => (Ipc, 24),
            _ => (0, 0),
        };
        return call != 0;
    }

    /// <summary>The rule as it applies to the multiplexer: <c>arg0 == call</c> and the original conditions on args 1–5.</summary>
    public static SyscallRule Rewrite(SyscallRule rule, int call)
    {
        int kept = 0;
        foreach (var c in rule.Conditions) if (c.Index != 0) kept++;
        var conditions = new ArgumentCondition[kept + 1];
        conditions[0] = new ArgumentCondition(0, SeccompOperator.Equal, (ulong)call, 0);
        int i = 1;
        foreach (var c in rule.Conditions) if (c.Index != 0) conditions[i++] = c;
        return rule with { Conditions = conditions };
    }
}
