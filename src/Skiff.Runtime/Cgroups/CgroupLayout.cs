namespace Skiff.Runtime.Cgroups;

/// <summary>How the host mounts cgroups.</summary>
public enum CgroupMode
{
    /// <summary>Only v1 hierarchies.</summary>
    Legacy,
    /// <summary>v1 per-controller hierarchies plus a cgroup2 mount (usually /sys/fs/cgroup/unified) that may hold a few controllers.</summary>
    Hybrid,
    /// <summary>cgroup2 only.</summary>
    Unified,
}

/// <summary>A mounted v1 hierarchy and the controllers bound to it (co-mounts like "cpu,cpuacct" share one).</summary>
public sealed record V1Hierarchy(string MountPoint, string Root, string[] Controllers)
{
    public override string ToString() => $"{string.Join(',', Controllers)} at {MountPoint}";
}

/// <summary>
/// The host's cgroup layout, from /proc/self/mountinfo: the v1 hierarchies (controllers from each mount's super
/// options, so co-mounts are found whatever the directory is called) and the cgroup2 mount with the controllers it
/// offers (its root's cgroup.controllers; on a hybrid host the ones not bound to v1, e.g. hugetlb).
/// </summary>
public sealed class CgroupLayout
{
    /// <summary>v1 controller names (as super options spell them).</summary>
    static readonly string[] KnownV1Controllers =
        ["cpuset", "cpu", "cpuacct", "blkio", "memory", "devices", "freezer", "net_cls", "perf_event", "net_prio",
         "hugetlb", "pids", "rdma", "misc", "debug"];

    public CgroupLayout(IReadOnlyList<V1Hierarchy> hierarchies, string? unifiedMount, IReadOnlyCollection<string> unifiedControllers)
    {
        Hierarchies = hierarchies;
        UnifiedMount = unifiedMount;
        UnifiedControllers = new HashSet<string>(unifiedControllers);
        bool anyV1Controller = hierarchies.Any(h => h.Controllers.Any(c => !c.StartsWith("name=", StringComparison.Ordinal)));
        Mode = !anyV1Controller && unifiedMount is not null ? CgroupMode.Unified
            : unifiedMount is not null ? CgroupMode.Hybrid : CgroupMode.Legacy;
    }

    public CgroupMode Mode { get; }
    public IReadOnlyList<V1Hierarchy> Hierarchies { get; }
    public string? UnifiedMount { get; }
    public IReadOnlySet<string> UnifiedControllers { get; }

    /// <summary>The v1 hierarchy holding <paramref name="controller"/> (e.g. "cpuacct", "name=systemd"), or null.</summary>
    public V1Hierarchy? HierarchyOf(string controller)
    {
        foreach (var h in Hierarchies)
            if (Array.IndexOf(h.Controllers, controller) >= 0) return h;
        return null;
    }

    /// <summary>True when <paramref name="controller"/> is usable on the cgroup2 mount.</summary>
    public bool OnUnified(string controller) => UnifiedMount is not null && UnifiedControllers.Contains(controller);

    static CgroupLayout? host;

    /// <summary>This host's layout, read once per process.</summary>
    public static CgroupLayout Host => host ??= Detect();

    static CgroupLayout Detect()
        => Parse(Linux.Files.ReadText("/proc/self/mountinfo"), mount =>
        {
            try { return Linux.Files.ReadText(System.IO.Path.Combine(mount, "cgroup.controllers")); }
            catch (Linux.LinuxException) { return ""; }
        });

    /// <summary>
    /// Builds a layout from mountinfo text. <paramref name="readControllers"/> returns the cgroup.controllers text of
    /// a cgroup2 mount point. When a hierarchy is mounted more than once the mount of its root ("/") wins, then the first.
    /// </summary>
    public static CgroupLayout Parse(string mountinfo, Func<string, string> readControllers)
    {
        var v1 = new List<V1Hierarchy>();
        MountInfo? unified = null;
        foreach (var m in MountInfo.ParseAll(mountinfo))
        {
            if (m.FsType == "cgroup2")
            {
                if (unified is null || Better(m, unified.Value)) unified = m;
            }
            else if (m.FsType == "cgroup")
            {
                var controllers = m.SuperOptions.Split(',')
                    .Where(o => o.StartsWith("name=", StringComparison.Ordinal) || Array.IndexOf(KnownV1Controllers, o) >= 0)
                    .ToArray();
                if (controllers.Length == 0) continue;
                int same = v1.FindIndex(h => h.Controllers.SequenceEqual(controllers));
                var h = new V1Hierarchy(m.MountPoint, m.Root, controllers);
                if (same < 0) v1.Add(h);
                else if (v1[same].Root != "/" && m.Root == "/") v1[same] = h;
            }
        }
        string[] offered = [];
        if (unified is { } u)
            offered = readControllers(u.MountPoint).Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
        return new CgroupLayout(v1, unified?.MountPoint, offered);
    }

    static bool Better(MountInfo candidate, MountInfo current)
    {
        if (current.Root != "/" && candidate.Root == "/") return true;
        if (candidate.Root != current.Root) return false;
        return Rank(candidate.MountPoint) < Rank(current.MountPoint);
        static int Rank(string p) => p == "/sys/fs/cgroup" ? 0 : p == "/sys/fs/cgroup/unified" ? 1 : 2;
    }
}
