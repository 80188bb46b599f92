namespace Oar.Engines.Tests.Fixtures;

/// <summary>What a daemon we started can leave on the host, found by the unique scratch path or cgroup name we
/// gave it, and removed: its descendants (shims, conmon) by pid, mounts under its data roots, cgroup
/// directories under its parent.</summary>
public static class HostCleanup
{
    /// <summary>Unmounts every mount point under <paramref name="dir"/>, deepest first (lazily: a shim that
    /// still holds one must not stop the cleanup).</summary>
    public static void Unmount(string dir)
    {
        for (int pass = 0; pass < 3; pass++)
        {
            var points = File.ReadLines("/proc/self/mountinfo")
                .Select(l => l.Split(' ')[4].Replace("\\040", " "))
                .Where(m => m == dir || m.StartsWith(dir + "/", StringComparison.Ordinal))
                .Distinct().OrderByDescending(m => m.Length).ToList();
            if (points.Count == 0) return;
            foreach (var m in points) Command.Run("umount", "-l", m);
        }
    }

    /// <summary>Kills, by pid, the processes whose command line names <paramref name="fragment"/> (a path only
    /// our daemons were given), except this test process.</summary>
    public static void KillProcesses(string fragment)
    {
        foreach (var pid in Processes(fragment))
            try { System.Diagnostics.Process.GetProcessById(pid).Kill(); } catch (ArgumentException) { } catch (InvalidOperationException) { }
    }

    public static List<int> Processes(string fragment)
    {
        var found = new List<int>();
        foreach (var d in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(d), out int pid) || pid == Environment.ProcessId) continue;
            string cmd;
            try { cmd = File.ReadAllText(Path.Combine(d, "cmdline")).Replace('\0', ' '); } catch (IOException) { continue; } catch (UnauthorizedAccessException) { continue; }
            if (cmd.Contains(fragment)) found.Add(pid);
        }
        return found;
    }

    /// <summary>Removes the cgroup directory <paramref name="name"/> (and what is under it) in every hierarchy.</summary>
    public static void RemoveCgroups(string name)
    {
        if (!Directory.Exists("/sys/fs/cgroup")) return;
        var roots = Directory.EnumerateDirectories("/sys/fs/cgroup").Append("/sys/fs/cgroup");
        foreach (var root in roots)
        {
            var top = Path.Combine(root, name.TrimStart('/'));
            if (!Directory.Exists(top)) continue;
            var dirs = Directory.EnumerateDirectories(top, "*", SearchOption.AllDirectories).OrderByDescending(d => d.Length).Append(top);
            foreach (var d in dirs)
                try { Directory.Delete(d); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    public static void RemoveTree(string dir)
    {
        try { Directory.Delete(dir, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>Cgroup directories that are still there (a leak the test reports).</summary>
    public static List<string> CgroupLeftovers(string name)
        => Directory.Exists("/sys/fs/cgroup")
            ? Directory.EnumerateDirectories("/sys/fs/cgroup").Append("/sys/fs/cgroup")
                .Select(r => Path.Combine(r, name.TrimStart('/'))).Where(Directory.Exists)
                .SelectMany(t => Directory.EnumerateDirectories(t, "*", SearchOption.AllDirectories)).ToList()
            : [];
}
