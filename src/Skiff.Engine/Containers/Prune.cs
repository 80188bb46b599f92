namespace Skiff.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>docker container prune: removes every container that is not running, paused or restarting and that
    /// <paramref name="keep"/> does not protect. Returns the removed ids and the bytes their writable layers held.</summary>
    public (List<string> Removed, long Reclaimed) Prune(Func<ContainerRecord, bool>? select = null)
    {
        var removed = new List<string>();
        long bytes = 0;
        foreach (var rec in List())
        {
            if (rec.State.Running || rec.State.Paused || rec.State.Restarting) continue;
            if (select is not null && !select(rec)) continue;
            long size = WritableSize(rec);
            try { Remove(rec.Id); }
            catch (EngineException) { continue; } // started or removed by someone else meanwhile
            removed.Add(rec.Id);
            bytes += size;
        }
        if (removed.Count > 0) _engine.Events.Append("container", "prune", "", new Dictionary<string, string> { ["reclaimed"] = bytes.ToString() });
        return (removed, bytes);
    }

    /// <summary>Bytes in the container's writable snapshot (its upper directory), 0 when it cannot be told.</summary>
    long WritableSize(ContainerRecord rec)
    {
        try
        {
            long total = 0;
            foreach (var m in _engine.Images.Snapshots.Mounts(rec.Own.SnapshotKey))
                foreach (var dir in m.Type == "overlay" ? m.Options.Where(o => o.StartsWith("upperdir=", StringComparison.Ordinal)).Select(o => o[9..]) : [m.Source])
                    foreach (var f in new DirectoryInfo(dir).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true }))
                        if (f.LinkTarget is null) total += f.Length;
            return total;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Images.Snapshots.SnapshotNotFoundException) { return 0; }
    }
}
