namespace Skiff.Runtime.Cgroups.V2;

/// <summary>
/// Enables controllers for a new cgroup: each ancestor from the mount root down to the new cgroup's parent gets
/// "+ctl …" in cgroup.subtree_control. One write per level; only if that write is refused are the controllers
/// enabled one by one (some may be impossible there, e.g. an ancestor holding processes).
/// </summary>
internal static class SubtreeControl
{
    public static void Enable(string mount, string path, IReadOnlyCollection<string> controllers)
    {
        if (controllers.Count == 0) return;
        var all = string.Join(' ', controllers.Select(c => "+" + c));
        var dir = mount;
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i < parts.Length; i++)
        {
            if (CgroupFile.TryWrite(dir, "cgroup.subtree_control", all) != 0)
                foreach (var c in controllers) CgroupFile.TryWrite(dir, "cgroup.subtree_control", "+" + c);
            dir = dir + "/" + parts[i];
        }
    }
}
