using K = Skiff.Linux.Seccomp;

namespace Skiff.Runtime.Seccomp;

/// <summary>
/// <c>linux.seccomp.flags</c> → seccomp(2) flags. As runc: an absent list means SPEC_ALLOW (no speculative
/// store bypass mitigation forced on the container), an empty list means none. NEW_LISTENER is implied by
/// SCMP_ACT_NOTIFY; WAIT_KILLABLE_RECV only makes sense (and is only accepted by the kernel) with it, so it is
/// dropped without a listener, as libseccomp does; TSYNC with a listener needs TSYNC_ESRCH.
/// </summary>
public static class FilterFlags
{
    public static readonly IReadOnlyList<string> Names =
        ["SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"];

    public static uint Parse(List<string>? names, bool hasNotify, string field)
    {
        uint flags = 0;
        if (names is null) flags = K.SECCOMP_FILTER_FLAG_SPEC_ALLOW;
        else
        {
            for (int i = 0; i < names.Count; i++)
            {
                flags |= names[i] switch
                {
                    "SECCOMP_FILTER_FLAG_TSYNC" => K.SECCOMP_FILTER_FLAG_TSYNC,
                    "SECCOMP_FILTER_FLAG_LOG" => K.SECCOMP_FILTER_FLAG_LOG,
                    "SECCOMP_FILTER_FLAG_SPEC_ALLOW" => K.SECCOMP_FILTER_FLAG_SPEC_ALLOW,
                    "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV" => K.SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV,
                    var n => throw new Spec.SpecException($"{field}[{i}]", $"unknown flag \"{n}\" (known: {string.Join(", ", Names)})"),
                };
            }
        }
        return Complete(flags, hasNotify);
    }

    /// <summary>Adds what the kernel needs with the chosen flags (NEW_LISTENER, TSYNC_ESRCH) and drops what it would refuse.</summary>
    public static uint Complete(uint flags, bool hasNotify)
    {
        if (hasNotify)
        {
            flags |= K.SECCOMP_FILTER_FLAG_NEW_LISTENER;
            if ((flags & K.SECCOMP_FILTER_FLAG_TSYNC) != 0) flags |= K.SECCOMP_FILTER_FLAG_TSYNC_ESRCH;
        }
        else flags &= ~(K.SECCOMP_FILTER_FLAG_NEW_LISTENER | K.SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV);
        return flags;
    }
}
