using Skiff.Images;
using Skiff.Images.Snapshots;
using Skiff.Linux;

namespace Skiff.Build.Execution;

/// <summary>One build's scratch space, <c>build-cache/runs/RUNID/</c>: mount points for snapshots, bundles, tmp files.
/// A lock file is held for the whole build; its active snapshots are keyed <c>build-RUNID-N</c> and its containers
/// <c>skiff-build-RUNID-N</c>. A build that dies (kill -9) leaves its directory unlocked, and the next build's
/// <see cref="Sweep"/> removes its containers, mounts, snapshots and files, so nothing stays dangling.</summary>
public sealed class Workspace : IDisposable
{
    readonly ImageService _images;
    readonly ContainerRun _runtime;
    Fd _lock;
    int _seq;

    public Workspace(ImageService images, string cacheRoot, ContainerRun runtime)
    {
        _images = images;
        _runtime = runtime;
        RunsDir = Path.Combine(cacheRoot, "runs");
        Directory.CreateDirectory(RunsDir);
        Sweep(images, RunsDir, runtime);
        RunId = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));
        Dir = Path.Combine(RunsDir, RunId);
        Directory.CreateDirectory(Dir);
        _lock = Locks.Take(Path.Combine(Dir, "lock"), exclusive: true);
    }

    public string RunsDir { get; }
    public string RunId { get; }
    public string Dir { get; }

    public int Next() => Interlocked.Increment(ref _seq);
    public string SnapshotKey(int n) => $"build-{RunId}-{n}";
    public string ContainerId(int n) => $"skiff-build-{RunId}-{n}";
    public string MountDir(int n) { var d = Path.Combine(Dir, "mnt", n.ToString(System.Globalization.CultureInfo.InvariantCulture)); Directory.CreateDirectory(d); return d; }
    public string TempDir(string name) { var d = Path.Combine(Dir, "tmp", name); Directory.CreateDirectory(d); return d; }

    public static void Mount(IReadOnlyList<MountSpec> mounts, string target)
    {
        foreach (var m in mounts) m.MountOn(target);
    }

    public static void Unmount(string target)
    {
        while (Mounts.TryUnmount(target, 0) == 0) { }
        if (IsMountPoint(target)) Mounts.TryUnmount(target, Mounts.MNT_DETACH);
    }

    static bool IsMountPoint(string path) => MountPointsUnder(path).Contains(path);

    /// <summary>Mount points at or below <paramref name="dir"/>, deepest first.</summary>
    static List<string> MountPointsUnder(string dir)
    {
        var list = new List<string>();
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            var f = line.Split(' ');
            if (f.Length < 5) continue;
            var mp = f[4].Replace("\\040", " ");
            if (mp == dir || mp.StartsWith(dir + "/", StringComparison.Ordinal)) list.Add(mp);
        }
        list.Sort((a, b) => b.Length.CompareTo(a.Length));
        return list;
    }

    /// <summary>Cleans up after builds that died: every run directory whose lock is free.</summary>
    public static void Sweep(ImageService images, string runsDir, ContainerRun runtime)
    {
        if (!Directory.Exists(runsDir)) return;
        foreach (var dir in Directory.EnumerateDirectories(runsDir))
        {
            var lockPath = Path.Combine(dir, "lock");
            using var l = File.Exists(lockPath) ? Locks.TryTake(lockPath, exclusive: true) : Fd.None;
            if (File.Exists(lockPath) && !l.IsValid) continue; // a live build
            Clean(images, dir, Path.GetFileName(dir), runtime);
        }
    }

    static void Clean(ImageService images, string dir, string runId, ContainerRun runtime)
    {
        if (Directory.Exists(runtime.StateRoot))
            foreach (var c in Directory.EnumerateDirectories(runtime.StateRoot, $"skiff-build-{runId}-*"))
                runtime.Delete(Path.GetFileName(c));
        foreach (var mp in MountPointsUnder(dir)) Mounts.TryUnmount(mp, Mounts.MNT_DETACH);
        var sn = images.Snapshots;
        var prefix = $"build-{runId}-";
        var mine = sn.List().Where(s => s.Key.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        // children before parents (a view may sit on an active snapshot only through committed ones, but be safe)
        foreach (var s in mine.OrderByDescending(s => s.Parent is not null && s.Parent.StartsWith(prefix, StringComparison.Ordinal)))
            try { sn.Remove(s.Key); } catch (Exception e) when (e is InvalidOperationException or IOException or SnapshotNotFoundException) { }
        try { SnapshotDirectory.DeleteTree(dir); } catch (IOException) { }
    }

    /// <summary>Ends the build: containers, mounts, this run's active snapshots and files go.</summary>
    public void Dispose()
    {
        if (!_lock.IsValid) return;
        Clean(_images, Dir, RunId, _runtime);
        _lock.Dispose();
        _lock = Fd.None;
    }
}
