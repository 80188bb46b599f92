namespace Skiff.Runtime.Seccomp;

/// <summary>
/// One rule for one syscall number: when all <see cref="Conditions"/> hold (none: always), return
/// <see cref="Action"/>. The rules of a syscall are tried in the order of <c>linux.seccomp.syscalls</c>; the
/// first that matches decides, and when none does the default action applies.
/// </summary>
internal sealed record SyscallRule(SeccompAction Action, ArgumentCondition[] Conditions)
{
    public bool IsUnconditional => Conditions.Length == 0;
}

/// <summary>The rules of one syscall number of one ABI (<see cref="Wide"/>: 64-bit argument comparisons).</summary>
internal sealed class SyscallRules(int number, bool wide)
{
    public int Number { get; } = number;
    public bool Wide { get; } = wide;
    public List<SyscallRule> Rules { get; } = new(1);

    /// <summary>The action when the first rule applies unconditionally (so no argument code is needed), else null.</summary>
    public SeccompAction? Unconditional => Rules[0].IsUnconditional ? Rules[0].Action : null;
}
