using Skiff.Engine.Runtimes;
using Skiff.Linux;

namespace Skiff.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>docker rm: refused while running unless <paramref name="force"/> (then killed first). Removes the runtime
    /// state, the rootfs mount, the writable snapshot, the directory and the name; with <paramref name="removeVolumes"/>
    /// also the container's anonymous volumes.</summary>
    public void Remove(string nameOrId, bool force = false, bool removeVolumes = false)
    {
        var id = Store.Resolve(nameOrId);
        using var lk = Store.Lock(id);
        var rec = Refresh(Store.Load(id), locked: true);
        if (Store.TryLoad(id) is null) return; // an --rm container went while we refreshed
        if (rec.State.Running || rec.State.Paused)
        {
            if (!force)
                throw EngineException.Conflict(rec.State.Paused
                    ? $"cannot remove container \"{rec.Name}\": container is paused and must be unpaused first"
                    : $"cannot remove container \"{rec.Name}\": container is running: stop the container before removing or force remove");
            StopLocked(rec, 0, "SIGKILL");
            if (Store.TryLoad(id) is null) return;
        }
        RemoveLocked(rec, removeVolumes);
    }

    void RemoveLocked(ContainerRecord rec, bool removeVolumes)
    {
        var dir = Store.Dir(rec.Id);
        if (rec.State.Status == "exited") KeepRemovedExit(rec);
        rec.State.Status = "removing";
        Store.Save(rec);
        var runtime = new OciRuntime(rec.Own.RuntimePath, rec.Own.RuntimeRoot);
        runtime.DeleteIfPresent(rec.Id);
        UnmountRootfs(rec);
        try { TeardownNetwork(rec); } catch { }
        try { _engine.Images.Snapshots.Remove(rec.Own.SnapshotKey); }
        catch (Images.Snapshots.SnapshotNotFoundException) { }
        using (Store.LockNames())
        {
            Store.ReleaseName(rec.PlainName, rec.Id);
            // container.json goes first: a crash after it leaves only debris no command lists.
            File.Delete(Store.RecordPath(rec.Id));
            var trash = Path.Combine(Store.Root, ".rm-" + rec.Id);
            Directory.Move(dir, trash);
            Directory.Delete(trash, recursive: true);
        }
        var sockDir = Path.Combine(Roots.RunRoot, "shims", rec.Id[..12]);
        if (Directory.Exists(sockDir)) try { Directory.Delete(sockDir, true); } catch (IOException) { }
        if (removeVolumes)
            foreach (var v in rec.Own.AnonymousVolumes) Volumes.TryRemove(v);
        _engine.Events.Append("container", "destroy", rec.Id, EventAttributes(rec));
    }
}
