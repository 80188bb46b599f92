using Skiff.Linux;

namespace Skiff.Runtime.Cgroups;

/// <summary>Creating, listing and removing cgroup directories in one hierarchy.</summary>
internal static class CgroupDirectory
{
    /// <summary>
    /// mkdir -p of <paramref name="path"/> below <paramref name="mount"/>. <paramref name="created"/> is called with
    /// (parent, child) for each level this call created, so a controller can initialise it (cpuset).
    /// </summary>
    public static string Make(string controller, string mount, string path, Action<string, string>? created = null)
    {
        var dir = mount;
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var parent = dir;
            dir = dir + "/" + part;
            if (Files.TryMkdirAt(Files.AT_FDCWD, dir, 0b111_101_101, out int e)) created?.Invoke(parent, dir);
            else if (e != Errno.EEXIST) throw new CgroupException(controller, dir, null, e, "mkdir");
        }
        return dir;
    }

    /// <summary>
    /// Removes <paramref name="dir"/> and its child cgroups, deepest first. rmdir is retried on EBUSY (a cgroup whose
    /// last process just exited can stay busy for a moment). A missing directory is not an error.
    /// </summary>
    public static void Remove(string controller, string dir)
    {
        string[] children;
        try { children = Directory.GetDirectories(dir); }
        catch (DirectoryNotFoundException) { return; }
        foreach (var child in children) Remove(controller, child);

        int delayMs = 1;
        for (int attempt = 0; ; attempt++)
        {
            int e = Files.UnlinkAt(Files.AT_FDCWD, dir, Files.AT_REMOVEDIR);
            if (e == 0 || e == Errno.ENOENT) return;
            if (e != Errno.EBUSY || attempt == 8)
            {
                var left = e == Errno.EBUSY ? ProcessesIn(dir) : [];
                throw new CgroupException(controller, dir, null, e,
                    left.Count > 0 ? $"rmdir: still holds pids {string.Join(' ', left)}" : "rmdir");
            }
            Thread.Sleep(delayMs);
            delayMs *= 2;
        }
    }

    /// <summary>Pids in <paramref name="dir"/>'s cgroup.procs and in every child cgroup.</summary>
    public static List<int> ProcessesIn(string dir)
    {
        var pids = new List<int>();
        Collect(dir, pids);
        return pids;
    }

    static void Collect(string dir, List<int> pids)
    {
        string text;
        try { text = Files.ReadText(dir + "/cgroup.procs"); }
        catch (LinuxException e) when (e.Errno == Errno.ENOENT) { return; }
        foreach (var line in text.AsSpan().EnumerateLines())
            if (int.TryParse(line, out int pid)) pids.Add(pid);
        string[] children;
        try { children = Directory.GetDirectories(dir); }
        catch (DirectoryNotFoundException) { return; }
        foreach (var child in children) Collect(child, pids);
    }

    /// <summary>Writes <paramref name="pid"/> to cgroup.procs.</summary>
    public static void AddProcess(string controller, string dir, int pid)
        => CgroupFile.Write(controller, dir, "cgroup.procs", pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
