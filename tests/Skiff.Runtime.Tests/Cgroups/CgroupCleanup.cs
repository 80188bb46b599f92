using Skiff.Linux;
using Skiff.Runtime.Cgroups;
using Xunit;

namespace Skiff.Runtime.Tests.Cgroups;

/// <summary>
/// Records every /skiff-test-* cgroup and every process the cgroup tests made; when the collection ends it kills those
/// processes (by pid, only ours) and removes those cgroups from every hierarchy, whatever the tests left behind.
/// </summary>
public sealed class CgroupCleanup : IDisposable
{
    static readonly List<string> paths = new();
    static readonly List<int> pids = new();

    public static string NewPath()
    {
        var p = $"/skiff-test-{Guid.NewGuid():N}";
        lock (paths) paths.Add(p);
        return p;
    }

    public static void Started(int pid) { lock (pids) pids.Add(pid); }

    /// <summary>Every mount point holding cgroups on this host (v1 hierarchies and the cgroup2 mount).</summary>
    public static IEnumerable<string> Mounts()
    {
        var layout = CgroupLayout.Host;
        foreach (var h in layout.Hierarchies) yield return h.MountPoint;
        if (layout.UnifiedMount is { } u) yield return u;
    }

    public void Dispose()
    {
        lock (paths)
            foreach (var path in paths)
                foreach (var mount in Mounts())
                    Thaw(mount + path);
        lock (pids) foreach (var pid in pids) Processes.Signal(pid, Processes.SIGKILL);
        lock (paths)
        {
            foreach (var path in paths)
                foreach (var mount in Mounts())
                    RemoveTree(mount + path);
        }
    }

    static void Thaw(string dir)
    {
        if (!Directory.Exists(dir)) return;
        foreach (var (file, value) in new[] { ("freezer.state", "THAWED"), ("cgroup.freeze", "0") })
        {
            var f = Path.Combine(dir, file);
            if (File.Exists(f)) try { File.WriteAllText(f, value); } catch (IOException) { }
        }
    }

    static void RemoveTree(string dir)
    {
        if (!Directory.Exists(dir)) return;
        foreach (var child in Directory.GetDirectories(dir)) RemoveTree(child);
        for (int i = 0; i < 50 && Files.UnlinkAt(Files.AT_FDCWD, dir, Files.AT_REMOVEDIR) == Errno.EBUSY; i++) Thread.Sleep(20);
    }
}

[CollectionDefinition(Name)]
public sealed class CgroupCollection : ICollectionFixture<CgroupCleanup>
{
    public const string Name = "cgroups";
}
