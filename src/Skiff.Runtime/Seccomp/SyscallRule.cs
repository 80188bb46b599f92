namespace Skiff.Runtime.Seccomp;

/// <summary>
/// One entry of <c>linux.seccomp.syscalls</c> as it applies to each syscall it names: when all
/// <see cref="Conditions"/> hold (none: always), return <see cref="Action"/>. The rules of a syscall are tried
/// in spec order; the first that matches decides, and when none does the default action applies.
/// </summary>
internal sealed record SyscallRule(SeccompAction Action, ArgumentCondition[] Conditions)
{
    public bool IsUnconditional => Conditions.Length == 0;
}
