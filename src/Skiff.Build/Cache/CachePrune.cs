using Skiff.Images;
using Skiff.Images.Gc;

namespace Skiff.Build.Cache;

/// <summary>`skiff builder prune`: drops cache records (with <paramref name="all"/> every record, the RUN cache mounts
/// and the context indexes; otherwise the records whose layer no image uses), then collects the layers and snapshots
/// nothing references any more. Holds the store's exclusive lock through GC, so it never races a build.</summary>
public static class CachePrune
{
    public sealed record Result(int Records, int Mounts, GarbageCollector.Result Gc);

    public static Result Run(ImageService images, bool all)
    {
        var cache = new CacheStore(images);
        int records = 0, mounts = 0;
        HashSet<string> used = new(StringComparer.Ordinal);
        if (!all)
            foreach (var (_, img) in images.List())
                if (img is not null) foreach (var l in img.Manifest.Layers) used.Add(l.Digest);
        using (images.LockExclusive())
        {
            foreach (var r in cache.List().ToList())
            {
                if (!all && r.Layer is not null && used.Contains(r.Layer.Digest)) continue;
                cache.Remove(r.Key);
                records++;
            }
            cache.RemoveStrayRoots();
            if (all)
            {
                foreach (var sub in new[] { "mounts", "context" })
                {
                    var d = Path.Combine(cache.Root, sub);
                    if (!Directory.Exists(d)) continue;
                    foreach (var e in Directory.EnumerateFileSystemEntries(d))
                    {
                        if (Directory.Exists(e)) { Directory.Delete(e, true); if (sub == "mounts") mounts++; }
                        else File.Delete(e);
                    }
                }
            }
        }
        return new Result(records, mounts, GarbageCollector.Collect(images));
    }
}
