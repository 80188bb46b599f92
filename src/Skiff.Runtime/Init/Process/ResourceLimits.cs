using Skiff.Linux;

namespace Skiff.Runtime.Init.Process;

/// <summary>process.rlimits. Raising a hard limit needs CAP_SYS_RESOURCE; without it the error says so.</summary>
public static class ResourceLimits
{
    public static void Apply(IReadOnlyList<Spec.Rlimit>? limits)
    {
        foreach (var l in limits ?? [])
        {
            int res = Rlimits.Resource(l.Type!);
            try { Rlimits.Set(res, l.Soft, l.Hard); }
            catch (LinuxException e) when (e.Errno == Errno.EPERM)
            {
                var (_, hard) = Rlimits.Get(res);
                throw new RuntimeException($"set rlimit {l.Type}",
                    $"soft {l.Soft} hard {l.Hard} exceeds the hard limit {hard} that oar holds, and raising it needs CAP_SYS_RESOURCE");
            }
        }
    }
}
