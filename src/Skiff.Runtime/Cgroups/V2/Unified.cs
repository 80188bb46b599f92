namespace Skiff.Runtime.Cgroups.V2;

/// <summary>
/// linux.resources.unified: each key is an interface file in the container's cgroup, written verbatim. Keys that
/// could leave the cgroup directory ("/", "..") are refused; a key naming no file gets a clear error.
/// </summary>
internal static class Unified
{
    public static void Set(string dir, Dictionary<string, string> values)
    {
        foreach (var (key, value) in values)
        {
            Validate(key);
            var controller = Controller(key);
            try { CgroupFile.Write(controller, dir, key, value); }
            catch (CgroupException e) when (e.Errno == Linux.Errno.ENOENT)
            {
                throw new CgroupException(controller, dir + "/" + key, value, e.Errno,
                    $"unified key \"{key}\" names no interface file (is the {controller} controller enabled on the unified hierarchy?)");
            }
        }
    }

    public static void Validate(string key)
    {
        if (key.Length == 0 || key.Contains('/') || key.Contains("..") || key.Contains('\0') || !key.Contains('.'))
            throw new CgroupException("unified", $"invalid unified key \"{key}\" (want a file name like \"memory.high\")");
    }

    /// <summary>The controller a key belongs to: its part before the first dot ("memory.high" → "memory").</summary>
    public static string Controller(string key) => key[..key.IndexOf('.')];
}
