using Skiff.Images.Content;
using Skiff.Images.Formats;
using Skiff.Images.Snapshots;

namespace Skiff.Images.Gc;

/// <summary>Mark and sweep under the exclusive store lock: roots are the named images (their manifests, configs,
/// layers and layer-chain snapshots) and the snapshots containers use (active/view snapshots not made by unpacking,
/// with their parents), and what <see cref="GcRoots"/> holds (the build cache). Everything else — blobs, committed snapshots, debris of crashed pulls — is removed.</summary>
public static class GarbageCollector
{
    public sealed record Result(int BlobsRemoved, long BytesRemoved, int SnapshotsRemoved, int PartialsRemoved);

    public static Result Collect(ImageService images)
    {
        using var lk = images.LockExclusive();
        var blobs = new HashSet<Digest>();
        var snaps = new HashSet<string>(StringComparer.Ordinal);
        var sn = images.Snapshots;
        var all = sn.List().ToDictionary(s => s.Key);

        void MarkSnapshot(string? key)
        {
            while (key is not null && snaps.Add(key) && all.TryGetValue(key, out var info)) key = info.Parent;
        }

        void MarkManifest(Descriptor d)
        {
            if (!images.Content.Exists(d.ParsedDigest)) return;
            blobs.Add(d.ParsedDigest);
            if (MediaTypes.IsIndex(d.MediaType))
            {
                foreach (var c in images.ReadIndex(d).Manifests) MarkManifest(c);
                return;
            }
            if (!MediaTypes.IsManifest(d.MediaType)) return;
            var m = images.ReadManifest(d);
            blobs.Add(m.Config.ParsedDigest);
            foreach (var l in m.Layers) blobs.Add(l.ParsedDigest);
            if (m.Layers.Length == 0 || !images.Content.Exists(m.Config.ParsedDigest)) return;
            var chain = Layers.ChainId.Of(images.ReadConfig(m.Config).RootFs.DiffIds);
            if (chain.Length > 0) MarkSnapshot(chain[^1].ToString());
        }

        foreach (var rec in images.Images.List()) MarkManifest(rec.Target);
        var (rootBlobs, rootSnaps) = GcRoots.Read(images);
        foreach (var b in rootBlobs) blobs.Add(b);
        foreach (var k in rootSnaps) MarkSnapshot(k);
        foreach (var s in all.Values)
            if (s.Kind != SnapshotKind.Committed && !s.Key.StartsWith("unpack-", StringComparison.Ordinal)) MarkSnapshot(s.Key);

        int nb = 0; long bytes = 0;
        foreach (var (d, size) in images.Content.List().ToList())
        {
            if (blobs.Contains(d)) continue;
            if (images.Content.Delete(d)) { nb++; bytes += size; images.Sources.Forget(d); }
        }

        int ns = 0;
        bool progress = true;
        while (progress)
        {
            progress = false;
            var live = sn.List();
            var parents = live.Where(s => s.Parent is not null).Select(s => s.Parent!).ToHashSet();
            foreach (var s in live)
            {
                if (snaps.Contains(s.Key) || parents.Contains(s.Key)) continue;
                sn.Remove(s.Key);
                ns++;
                progress = true;
            }
        }
        if (sn is Snapshots.Overlay.OverlaySnapshotter o) foreach (var d in o.Store.Debris().ToList()) SnapshotDirectory.DeleteTree(d);
        if (sn is Snapshots.Copy.CopySnapshotter c) foreach (var d in c.Store.Debris().ToList()) SnapshotDirectory.DeleteTree(d);
        int partials = images.Content.CleanIngest();
        foreach (var f in Directory.EnumerateFileSystemEntries(images.TempDir))
        {
            if (Directory.Exists(f)) SnapshotDirectory.DeleteTree(f); else File.Delete(f);
        }
        return new Result(nb, bytes, ns, partials);
    }
}
