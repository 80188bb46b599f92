using System.Text.Json;
using Skiff.Images.Content;
using Skiff.Images.Formats;
using Skiff.Images.Layers;

namespace Skiff.Images.Transfer;

/// <summary>Creates images from layers: writes config and manifest blobs, unpacks the layers into snapshots and names
/// the result. Used by `import`, `load` of docker archives, and tests that build images.</summary>
public sealed class ImageWriter(ImageService images)
{
    public sealed record NewLayer(Descriptor Blob, Digest DiffId, string? CreatedBy = null);

    /// <summary>Builds config + manifest for <paramref name="layers"/> on top of nothing, stores and unpacks them.</summary>
    public LocalImage Create(IReadOnlyList<NewLayer> layers, ContainerConfig? run = null, DateTimeOffset? created = null,
        string? name = null, bool oci = true, Platform? platform = null)
    {
        var p = platform ?? Platform.Host;
        var when = created ?? DateTimeOffset.UtcNow;
        var config = new ImageConfig
        {
            Created = when,
            Architecture = p.Architecture,
            Os = p.Os,
            Variant = p.Variant,
            Config = run ?? new ContainerConfig { Env = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"] },
            RootFs = new RootFs { DiffIds = layers.Select(l => l.DiffId.ToString()).ToArray() },
            History = layers.Select(l => new History { Created = when, CreatedBy = l.CreatedBy ?? "skiff import" }).ToArray(),
        };
        return Store(config, layers.Select(l => l.Blob).ToArray(), name, oci);
    }

    /// <summary>Stores a given config with its layer blobs (already in the content store) as an image.</summary>
    public LocalImage Store(ImageConfig config, Descriptor[] layerBlobs, string? name, bool oci)
    {
        var configBytes = JsonSerializer.SerializeToUtf8Bytes(config, WireJson.Default.ImageConfig);
        var configDigest = images.Content.Put(configBytes);
        var manifest = new Manifest
        {
            SchemaVersion = 2,
            MediaType = oci ? MediaTypes.OciManifest : MediaTypes.DockerManifest,
            Config = new Descriptor { MediaType = oci ? MediaTypes.OciConfig : MediaTypes.DockerConfig, Digest = configDigest.ToString(), Size = configBytes.Length },
            Layers = layerBlobs,
        };
        var manifestBytes = JsonSerializer.SerializeToUtf8Bytes(manifest, WireJson.Default.Manifest);
        var md = images.Content.Put(manifestBytes);
        var target = new Descriptor { MediaType = manifest.MediaType, Digest = md.ToString(), Size = manifestBytes.Length };
        Unpack(manifest, config);
        var rec = name is null ? null : images.Images.Set(name, target);
        return new LocalImage(rec, target, target, manifest, config);
    }

    /// <summary>Makes sure every layer of an image in the content store is unpacked into a committed snapshot.</summary>
    public void Unpack(Manifest m, ImageConfig config)
    {
        var sn = images.Snapshots;
        var chain = ChainId.Of(config.RootFs.DiffIds);
        if (chain.Length != m.Layers.Length) throw new InvalidDataException("config diff_ids and manifest layers differ in number");
        for (int i = 0; i < chain.Length; i++)
        {
            using var l = images.LockSnapshot(chain[i]);
            if (sn.Stat(chain[i].ToString()) is not null) continue;
            var key = "unpack-" + chain[i].Hex;
            if (sn.Stat(key) is not null) sn.Remove(key);
            var parent = i > 0 ? chain[i - 1].ToString() : null;
            sn.Prepare(key, sn.CanRebase ? null : parent);
            try
            {
                using (var applier = new LayerApplier(sn.ApplyDir(key), sn.Whiteouts, sn.CanRebase && parent is not null ? () => sn.ChainDirs(parent) : null))
                using (var s = images.Content.OpenRead(m.Layers[i].ParsedDigest))
                    Puller.ApplyStream(applier, s, m.Layers[i].MediaType, config.RootFs.DiffIds[i], m.Layers[i].ParsedDigest);
                sn.Commit(chain[i].ToString(), key, sn.CanRebase ? parent : null);
            }
            catch
            {
                try { sn.Remove(key); } catch { }
                throw;
            }
        }
    }
}
