namespace Skiff.Runtime.Seccomp;

/// <summary>
/// A seccomp return action (SECCOMP_RET_*): the high 16 bits select the action, the low 16 bits carry data
/// (the errno for ERRNO, the message for TRACE). Names and defaults follow libseccomp and runc:
/// SCMP_ACT_KILL is KILL_THREAD, ERRNO and TRACE default to EPERM.
/// </summary>
public readonly record struct SeccompAction(uint Value)
{
    public const uint KillProcess = 0x8000_0000, KillThread = 0x0000_0000, Trap = 0x0003_0000, Errno = 0x0005_0000,
        UserNotif = 0x7fc0_0000, Trace = 0x7ff0_0000, Log = 0x7ffc_0000, Allow = 0x7fff_0000;
    public const uint ActionMask = 0xffff_0000, DataMask = 0x0000_ffff;

    const uint EPERM = 1;

    public uint Kind => Value & ActionMask;
    public uint Data => Value & DataMask;
    public bool IsNotify => Kind == UserNotif;

    /// <summary>ALLOW, LOG and TRACE let unknown syscalls through to the kernel (runc's ENOSYS stub skips them).</summary>
    public bool LetsSyscallsRun => Kind is Allow or Log or Trace;

    public static SeccompAction ErrnoWith(uint errno) => new(Errno | (errno & DataMask));

    /// <summary>
    /// Parses an action name with its optional errnoRet. <paramref name="field"/> is the JSON path of the action
    /// (errors for errnoRet name the sibling field <paramref name="errnoField"/>).
    /// </summary>
    public static SeccompAction Parse(string? name, uint? errnoRet, string field, string errnoField)
    {
        if (string.IsNullOrEmpty(name)) throw new Spec.SpecException(field, "required (an SCMP_ACT_* action)");
        uint kind = name switch
        {
            "SCMP_ACT_KILL" or "SCMP_ACT_KILL_THREAD" => KillThread,
            "SCMP_ACT_KILL_PROCESS" => KillProcess,
            "SCMP_ACT_TRAP" => Trap,
            "SCMP_ACT_ERRNO" => Errno,
            "SCMP_ACT_TRACE" => Trace,
            "SCMP_ACT_ALLOW" => Allow,
            "SCMP_ACT_LOG" => Log,
            "SCMP_ACT_NOTIFY" => UserNotif,
            _ => throw new Spec.SpecException(field, $"unknown action \"{name}\" (known: {string.Join(", ", Names)})"),
        };
        if (kind is Errno or Trace)
        {
            uint data = errnoRet ?? EPERM;
            if (data > DataMask) throw new Spec.SpecException(errnoField, $"{data} does not fit the 16 bits seccomp returns");
            return new(kind | data);
        }
        if (errnoRet is not null) throw new Spec.SpecException(errnoField, $"only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take an errno, not {name}");
        return new(kind);
    }

    public static readonly IReadOnlyList<string> Names =
    [
        "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP", "SCMP_ACT_ERRNO",
        "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY",
    ];

    public override string ToString() => Kind switch
    {
        KillProcess => "KILL_PROCESS",
        KillThread => "KILL_THREAD",
        Trap => "TRAP",
        Errno => $"ERRNO({Data})",
        UserNotif => "NOTIFY",
        Trace => $"TRACE({Data})",
        Log => "LOG",
        Allow => "ALLOW",
        _ => $"0x{Value:x8}",
    };
}
