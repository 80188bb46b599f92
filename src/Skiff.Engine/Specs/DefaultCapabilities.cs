using Skiff.Linux;

namespace Skiff.Engine.Specs;

/// <summary>docker's default capability set, and --cap-add/--cap-drop applied to it the way docker does (names with or
/// without CAP_, any case; ALL; drops win over adds except that `--cap-drop ALL --cap-add X` leaves only X).</summary>
public static class DefaultCapabilities
{
    public static readonly IReadOnlyList<string> Docker =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID",
        "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
    ];

    /// <summary>Every capability this kernel knows that we hold in our bounding set (what --privileged can give).</summary>
    public static List<string> All()
        => Capabilities.All.Take(Capabilities.LastCap + 1).Where(c => Capabilities.InBounding(Capabilities.Number(c))).ToList();

    public static string Normalize(string name)
    {
        var n = name.Trim().ToUpperInvariant();
        if (n == "ALL") return n;
        if (!n.StartsWith("CAP_", StringComparison.Ordinal)) n = "CAP_" + n;
        if (Capabilities.Number(n) < 0) throw EngineException.Invalid($"invalid capability: {name}: unknown capability \"{n}\"");
        return n;
    }

    public static List<string> Compute(bool privileged, IEnumerable<string>? add, IEnumerable<string>? drop)
    {
        if (privileged) return All();
        var adds = (add ?? []).Select(Normalize).ToList();
        var drops = (drop ?? []).Select(Normalize).ToList();
        var set = new List<string>(Docker);
        if (adds.Contains("ALL")) set = All();
        else foreach (var a in adds) if (!set.Contains(a)) set.Add(a);
        if (drops.Contains("ALL")) set = adds.Where(a => a != "ALL").Distinct().ToList();
        else set.RemoveAll(drops.Contains);
        return set;
    }
}
