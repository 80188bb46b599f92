using Skiff.Linux;
using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Init.Process;

/// <summary>The final identity of the container process: bounding set, user and groups, capabilities,
/// no_new_privs. Every call acts on the calling thread, which must be the one that calls execve.</summary>
public static class ProcessCredentials
{
    public static void Apply(Spec.Process p)
    {
        var caps = p.Capabilities;
        // The bounding set is dropped first: it needs CAP_SETPCAP, which the user switch may take away.
        if (caps is not null)
        {
            ulong keep = Mask(caps.Bounding, "bounding");
            for (int c = 0; c <= Capabilities.LastCap; c++)
                if ((keep & (1UL << c)) == 0) Capabilities.DropBounding(c);
        }

        var user = p.User ?? new User();
        Processes.Prctl(Processes.PR_SET_KEEPCAPS, 1, what: "keep capabilities across the user switch");
        var groups = user.AdditionalGids?.ToArray() ?? [];
        try { Skiff.Linux.Credentials.SetGroups(groups); }
        catch (LinuxException e) when (e.Errno == Errno.EPERM && groups.Length == 0) { /* setgroups denied in a user namespace */ }
        Skiff.Linux.Credentials.SetResGid(user.Gid);
        Skiff.Linux.Credentials.SetResUid(user.Uid);
        Processes.Prctl(Processes.PR_SET_KEEPCAPS, 0);

        if (caps is not null)
        {
            Capabilities.Set(new Capabilities.Sets(Mask(caps.Effective, "effective"), Mask(caps.Permitted, "permitted"),
                Mask(caps.Inheritable, "inheritable")));
            Capabilities.ClearAmbient();
            foreach (var name in caps.Ambient ?? []) Capabilities.RaiseAmbient(Capabilities.Number(name));
        }
        else if (user.Uid != 0)
        {
            Capabilities.Set(new Capabilities.Sets(0, 0, 0));
        }

        if (p.NoNewPrivileges) Processes.Prctl(Processes.PR_SET_NO_NEW_PRIVS, 1, what: "set no_new_privs");
    }

    /// <summary>Fails before "created" when the capabilities asked for are more than this process holds (as on a
    /// host whose root lacks one, e.g. CAP_SYS_RESOURCE, and `docker run --privileged` asks for all): capset
    /// would fail with EPERM only after `start`, where no engine reads the error.</summary>
    public static void Check(Spec.Process p)
    {
        if (p.Capabilities is not { } caps) return;
        ulong held = Capabilities.Get().Permitted;
        ulong missing = (Mask(caps.Permitted, "permitted") | Mask(caps.Effective, "effective")) & ~held;
        if (missing == 0) return;
        var names = Enumerable.Range(0, 64).Where(c => (missing & (1UL << c)) != 0).Select(Capabilities.Name);
        throw new RuntimeException("capset", $"EPERM: the process asks for {string.Join(", ", names)}, which the runtime does not hold");
    }

    static ulong Mask(List<string>? names, string set)
    {
        ulong m = 0;
        foreach (var n in names ?? [])
        {
            int c = Capabilities.Number(n);
            if (c < 0) throw new RuntimeException($"process.capabilities.{set}", $"unknown capability \"{n}\"");
            if (c <= Capabilities.LastCap) m |= 1UL << c;
        }
        return m;
    }
}
