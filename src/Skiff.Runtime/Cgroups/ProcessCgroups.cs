namespace Skiff.Runtime.Cgroups;

/// <summary>
/// One line of /proc/&lt;pid&gt;/cgroup: <c>hierarchy-id:controller-list:path</c>. Id 0 with an empty list is the
/// cgroup2 (unified) hierarchy; v1 lines list their controllers ("cpu,cpuacct", "name=systemd").
/// </summary>
public readonly record struct ProcessCgroup(int HierarchyId, string[] Controllers, string Path)
{
    public bool IsUnified => HierarchyId == 0 && Controllers.Length == 0;

    public static List<ProcessCgroup> Parse(string text)
    {
        var list = new List<ProcessCgroup>();
        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            var line = raw.Trim();
            int a = line.IndexOf(':');
            if (a <= 0) continue;
            int b = line[(a + 1)..].IndexOf(':');
            if (b < 0) continue;
            b += a + 1;
            if (!int.TryParse(line[..a], out int id)) continue;
            var ctl = line[(a + 1)..b];
            var controllers = ctl.IsEmpty ? [] : ctl.ToString().Split(',');
            list.Add(new ProcessCgroup(id, controllers, line[(b + 1)..].ToString()));
        }
        return list;
    }

    /// <summary>Reads /proc/&lt;pid&gt;/cgroup ("self" when <paramref name="pid"/> is 0).</summary>
    public static List<ProcessCgroup> Read(int pid = 0)
        => Parse(Linux.Files.ReadText(pid == 0 ? "/proc/self/cgroup" : $"/proc/{pid}/cgroup"));

    /// <summary>The path of the process in the hierarchy holding <paramref name="controller"/> ("" = unified).</summary>
    public static string? PathOf(IEnumerable<ProcessCgroup> cgroups, string controller)
    {
        foreach (var c in cgroups)
        {
            if (controller.Length == 0 ? c.IsUnified : Array.IndexOf(c.Controllers, controller) >= 0) return c.Path;
        }
        return null;
    }
}
