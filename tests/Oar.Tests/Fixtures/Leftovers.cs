namespace Oar.Tests.Fixtures;

/// <summary>Finds (and as a last resort removes) what a container may leave on the host: cgroup directories,
/// mounts, processes.</summary>
public static class Leftovers
{
    public static IEnumerable<string> CgroupDirs(string name)
    {
        foreach (var h in Directory.EnumerateDirectories("/sys/fs/cgroup"))
        {
            var d = Path.Combine(h, name);
            if (Directory.Exists(d)) yield return d;
        }
    }

    public static void RemoveCgroups(string name)
    {
        foreach (var d in CgroupDirs(name).ToList())
            try { Directory.Delete(d); } catch (IOException) { }
    }

    /// <summary>Host mount points whose path contains <paramref name="fragment"/>.</summary>
    public static IEnumerable<string> Mounts(string fragment)
        => File.ReadLines("/proc/self/mountinfo").Select(l => l.Split(' ')[4]).Where(m => m.Contains(fragment));

    /// <summary>Processes whose command line contains <paramref name="fragment"/>.</summary>
    public static IEnumerable<int> Processes(string fragment)
    {
        foreach (var d in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(d), out int pid)) continue;
            string cmd;
            try { cmd = File.ReadAllText(Path.Combine(d, "cmdline")).Replace('\0', ' '); } catch (IOException) { continue; }
            if (cmd.Contains(fragment)) yield return pid;
        }
    }
}
