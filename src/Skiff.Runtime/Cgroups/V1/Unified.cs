namespace Skiff.Runtime.Cgroups.V1;

/// <summary>
/// linux.resources.unified on a v1 or hybrid host: a key is written to the cgroup2 side only when its controller
/// lives there (hybrid: e.g. "hugetlb.2MB.max"; "cgroup.*" core files); any other key is refused, since the
/// controller's v1 files have other names and meanings.
/// </summary>
internal static class Unified
{
    public static void Set(CgroupLayout layout, V2.Manager? unified, Dictionary<string, string> values)
    {
        foreach (var (key, _) in values)
        {
            V2.Unified.Validate(key);
            var controller = V2.Unified.Controller(key);
            if (unified is null)
                throw new CgroupException(controller,
                    $"unified key \"{key}\" needs cgroup v2, and this host has only cgroup v1 hierarchies");
            if (controller != "cgroup" && !layout.OnUnified(controller))
                throw new CgroupException(controller,
                    $"unified key \"{key}\": the {controller} controller is bound to a v1 hierarchy on this host, not to the cgroup2 mount {layout.UnifiedMount}");
        }
        if (unified is not null) V2.Unified.Set(unified.Directory, values);
    }
}
