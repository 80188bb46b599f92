namespace Skiff.Runtime.Cgroups;

/// <summary>
/// linux.cgroupsPath for the cgroupfs driver. An absolute path is taken relative to the root of each hierarchy as
/// this process sees it (the mount point). A relative path is also placed under that root (runc would place it under
/// the runtime's own cgroup; Skiff keeps one rule so a container's cgroup never depends on where oar was started).
/// "." and ".." components are refused, repeated slashes collapse.
/// </summary>
public static class CgroupPath
{
    public static string Normalize(string cgroupsPath)
    {
        if (string.IsNullOrWhiteSpace(cgroupsPath))
            throw new CgroupException("path", "cgroupsPath is empty");
        var parts = cgroupsPath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        foreach (var p in parts)
        {
            if (p is "." or "..")
                throw new CgroupException("path", $"cgroupsPath \"{cgroupsPath}\" must not contain \".\" or \"..\"");
            if (p.Contains('\0'))
                throw new CgroupException("path", "cgroupsPath contains a NUL byte");
        }
        if (parts.Length == 0)
            throw new CgroupException("path", $"cgroupsPath \"{cgroupsPath}\" names the root cgroup");
        return "/" + string.Join('/', parts);
    }

    /// <summary>The systemd driver's form, "slice:prefix:name".</summary>
    public static bool IsSystemdForm(string cgroupsPath)
        => cgroupsPath.Count(c => c == ':') == 2 && !cgroupsPath.StartsWith('/');
}
