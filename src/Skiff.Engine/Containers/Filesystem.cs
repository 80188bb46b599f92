using Skiff.Engine.Archive;
using Skiff.Linux;

namespace Skiff.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>Runs <paramref name="act"/> on the container's file system for <c>cp</c>. A running (or paused)
    /// container is reached through its init's /proc/&lt;pid&gt;/root, mounts included. A stopped one has its writable
    /// snapshot mounted on a private directory under the run root for the duration (holding the container's lock so it
    /// cannot start meanwhile), with its volumes and binds mapped at their destinations.</summary>
    public T WithFilesystem<T>(string nameOrId, Func<ContainerFs, T> act)
    {
        var rec = Get(nameOrId);
        if ((rec.State.Running || rec.State.Paused) && rec.State.Pid > 0)
        {
            using var fs = ContainerFs.ForProcess(rec.State.Pid, rec.PlainName);
            return act(fs);
        }
        using var lk = Store.Lock(rec.Id);
        rec = Refresh(Store.Load(rec.Id), locked: true);
        var mounts = rec.Mounts.Where(m => m.Source.Length > 0 && m.Type is "bind" or "volume")
            .Select(m => new ArchiveMount(m.Destination, m.Source, !m.RW)).ToList();
        var dir = Path.Combine(Roots.RunRoot, "cp", $"{rec.Id[..12]}-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        bool mounted = false;
        try
        {
            foreach (var m in _engine.Images.Snapshots.Mounts(rec.Own.SnapshotKey)) { m.MountOn(dir); mounted = true; }
            using var fs = ContainerFs.ForRootfs(dir, mounts, rec.PlainName);
            return act(fs);
        }
        finally
        {
            if (mounted && Mounts.TryUnmount(dir, 0) != 0) Mounts.TryUnmount(dir, Mounts.MNT_DETACH);
            try { Directory.Delete(dir); } catch (IOException) { }
        }
    }

    /// <summary>The cgroupsPath the runtime was given (from the bundle's config.json) and the init pid, for stats and top;
    /// refuses a container that is not running, as docker does.</summary>
    public (ContainerRecord Record, string CgroupsPath) RunningCgroup(string nameOrId)
    {
        var rec = Get(nameOrId);
        if (!rec.State.Running && !rec.State.Paused)
            throw new EngineException(EngineErrorKind.NotRunning, $"container {rec.Id} is not running");
        var config = Path.Combine(Store.Dir(rec.Id), "bundle", "config.json");
        return (rec, Stats.ContainerStats.CgroupsPathOf(config));
    }
}
