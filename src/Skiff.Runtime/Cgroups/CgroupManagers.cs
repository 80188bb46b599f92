namespace Skiff.Runtime.Cgroups;

/// <summary>Picks the cgroup manager for this host's layout.</summary>
public static class CgroupManagers
{
    /// <summary>
    /// A manager for <paramref name="cgroupsPath"/> (see <see cref="CgroupPath"/> for how paths resolve). v2 hosts get
    /// a <see cref="V2.Manager"/>; v1 and hybrid hosts a <see cref="V1.Manager"/> (which also drives the hybrid cgroup2
    /// mount). Nothing is created until <see cref="ICgroupManager.Create"/>.
    /// </summary>
    /// <param name="systemd">The runtime's --systemd-cgroup: cgroupsPath is "slice:prefix:name" and systemd owns the cgroup.</param>
    public static ICgroupManager Open(string cgroupsPath, bool systemd = false) => Open(CgroupLayout.Host, cgroupsPath, systemd);

    public static ICgroupManager Open(CgroupLayout layout, string cgroupsPath, bool systemd = false)
    {
        if (systemd)
        {
            if (!Directory.Exists("/run/systemd/system"))
                throw new CgroupException("systemd", "systemd cgroup driver requested but systemd is not running");
            if (!CgroupPath.IsSystemdForm(cgroupsPath))
                throw new CgroupException("systemd", $"cgroupsPath \"{cgroupsPath}\" is not of the form slice:prefix:name");
            throw new CgroupException("systemd", "the systemd cgroup driver is not implemented yet; use the cgroupfs driver");
        }
        var path = CgroupPath.Normalize(cgroupsPath);
        return layout.Mode switch
        {
            CgroupMode.Unified => new V2.Manager(layout.UnifiedMount!, path, layout.UnifiedControllers.ToArray()),
            _ when layout.Hierarchies.Count > 0 => new V1.Manager(layout, path),
            _ => throw new CgroupException("cgroup", "no cgroup filesystem is mounted (see /proc/self/mountinfo)"),
        };
    }
}
