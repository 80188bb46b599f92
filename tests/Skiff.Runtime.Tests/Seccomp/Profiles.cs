using Skiff.Runtime.Seccomp;
using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Tests.Seccomp;

/// <summary>Short constructors for seccomp specs in tests.</summary>
public static class Profiles
{
    public static Spec.Seccomp Profile(string defaultAction, params SeccompSyscall[] rules) =>
        new() { DefaultAction = defaultAction, Syscalls = [.. rules] };

    public static SeccompSyscall Rule(string action, string[] names, uint? errnoRet = null, params SeccompArg[] args) =>
        new() { Action = action, Names = [.. names], ErrnoRet = errnoRet, Args = args.Length == 0 ? null : [.. args] };

    public static SeccompSyscall Rule(string action, string name, params SeccompArg[] args) => Rule(action, [name], null, args);

    public static SeccompArg Arg(uint index, string op, ulong value, ulong valueTwo = 0) =>
        new() { Index = index, Op = op, Value = value, ValueTwo = valueTwo };

    public static int Nr(string name) => SyscallTable.X86_64(name);
    public static int NrI386(string name) => SyscallTable.X86(name);
    public static int NrX32(string name) => SyscallTable.X32(name);

    public const uint Allow = SeccompAction.Allow, KillThread = SeccompAction.KillThread, KillProcess = SeccompAction.KillProcess,
        Trap = SeccompAction.Trap, Log = SeccompAction.Log, Notify = SeccompAction.UserNotif;
    public static uint Errno(uint e) => SeccompAction.Errno | e;
    public static uint Trace(uint d) => SeccompAction.Trace | d;
    public const uint EPERM = 1, ENOSYS = 38;
}
