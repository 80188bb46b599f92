using Skiff.Images;
using Skiff.Images.Content;
using Skiff.Images.Formats;
using Skiff.Images.Layers;

namespace Skiff.Build.Execution;

/// <summary>A step that changes files: prepare a writable snapshot on the parent chain, mount it, let the step work on
/// the mounted root, unmount, write the snapshot's diff as a layer (whiteouts for deletions), store it compressed and
/// commit the snapshot under the new chain ID. A step that changed nothing gives an empty result and no layer.</summary>
public sealed class LayerStep(ImageService images, Workspace ws, Compression compression)
{
    public sealed record Result(Descriptor? Blob, Digest? DiffId, string? Snapshot)
    {
        public bool Empty => Blob is null;
    }

    /// <param name="parent">the parent chain's top snapshot (chain ID), null for an empty root</param>
    public Result Run(string? parent, Action<string> work, CancellationToken ct)
    {
        var sn = images.Snapshots;
        int n = ws.Next();
        var key = ws.SnapshotKey(n);
        sn.Prepare(key, parent);
        bool committed = false;
        try
        {
            var mnt = ws.MountDir(n);
            Workspace.Mount(sn.Mounts(key), mnt);
            try { work(mnt); }
            finally { Workspace.Unmount(mnt); }
            ct.ThrowIfCancellationRequested();
            if (sn.Name == "overlayfs" && !Directory.EnumerateFileSystemEntries(sn.ApplyDir(key)).Any())
                return new Result(null, null, parent);
            var layer = LayerCompressor.Store(images.Content, images.TempDir, s => sn.Diff(key, s), compression);
            var chain = parent is null ? layer.DiffId : Digest.Sha256(System.Text.Encoding.ASCII.GetBytes($"{parent} {layer.DiffId}"));
            using (images.LockSnapshot(chain))
            {
                if (sn.Stat(chain.ToString()) is null) { sn.Commit(chain.ToString(), key); committed = true; }
            }
            return new Result(layer.Blob, layer.DiffId, chain.ToString());
        }
        finally
        {
            if (!committed && sn.Stat(key) is not null) sn.Remove(key);
        }
    }

    /// <summary>Makes sure the snapshot chain for <paramref name="layers"/> exists (a cache hit whose snapshot was
    /// collected, or an image pulled without unpacking), unpacking blobs from the content store as needed.</summary>
    public void Ensure(IReadOnlyList<(Descriptor Blob, string DiffId)> layers)
    {
        if (layers.Count == 0) return;
        var chain = ChainId.Of(layers.Select(l => l.DiffId).ToList());
        if (images.Snapshots.Stat(chain[^1].ToString()) is not null) return;
        var m = new Manifest { SchemaVersion = 2, MediaType = MediaTypes.OciManifest, Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = "sha256:" + new string('0', 64), Size = 0 }, Layers = layers.Select(l => l.Blob).ToArray() };
        var cfg = new ImageConfig { RootFs = new RootFs { DiffIds = layers.Select(l => l.DiffId).ToArray() } };
        new Images.Transfer.ImageWriter(images).Unpack(m, cfg);
    }
}
