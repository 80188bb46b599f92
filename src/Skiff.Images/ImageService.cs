using System.Text.Json;
using Skiff.Images.Content;
using Skiff.Images.Formats;
using Skiff.Images.Metadata;
using Skiff.Images.References;
using Skiff.Images.Snapshots;
using Skiff.Images.Snapshots.Copy;
using Skiff.Images.Snapshots.Overlay;
using Skiff.Linux;

namespace Skiff.Images;

/// <summary>The image side of a skiff root (default /var/lib/skiff): blobs, names, snapshots, and the hook through which
/// the engine says which images containers use.</summary>
public sealed class ImageService
{
    public const string DefaultRoot = "/var/lib/skiff";

    ImageService(string root, ISnapshotter snapshotter)
    {
        Root = root;
        Content = new ContentStore(Path.Combine(root, "content"));
        Images = new ImageStore(Path.Combine(root, "metadata"));
        Sources = new BlobSources(Path.Combine(root, "content", "sources"));
        Snapshots = snapshotter;
        Directory.CreateDirectory(Path.Combine(root, "locks"));
        Directory.CreateDirectory(Path.Combine(root, "tmp"));
    }

    public string Root { get; }
    public ContentStore Content { get; }
    public ImageStore Images { get; }
    public BlobSources Sources { get; }
    public ISnapshotter Snapshots { get; }
    /// <summary>Which images are in use (by containers); the engine plugs its answer in. Default: none.</summary>
    public IImageUsage Usage { get; set; } = IImageUsage.None;
    public string TempDir => Path.Combine(Root, "tmp");

    /// <summary>Opens (creating) a root. <paramref name="snapshotter"/>: "overlayfs" (default where supported) or "copy".</summary>
    public static ImageService Open(string root = DefaultRoot, string? snapshotter = null)
    {
        Directory.CreateDirectory(root);
        var snapRoot = Path.Combine(root, "snapshots");
        snapshotter ??= Environment.GetEnvironmentVariable("SKIFF_SNAPSHOTTER");
        if (string.IsNullOrEmpty(snapshotter))
            snapshotter = OverlaySnapshotter.Supported(snapRoot) ? "overlayfs" : "copy";
        ISnapshotter sn = snapshotter switch
        {
            "overlayfs" or "overlay" => new OverlaySnapshotter(Path.Combine(snapRoot, "overlayfs")),
            "copy" or "native" => new CopySnapshotter(Path.Combine(snapRoot, "copy")),
            _ => throw new ArgumentException($"unknown snapshotter \"{snapshotter}\" (overlayfs, copy)"),
        };
        return new ImageService(root, sn);
    }

    /// <summary>Pulls, imports and loads hold this shared; garbage collection holds it exclusive, so GC never deletes
    /// what a running pull is about to reference.</summary>
    public Fd LockShared() => Locks.Take(Path.Combine(Root, "locks", "gc.lock"), exclusive: false);
    public Fd LockExclusive() => Locks.Take(Path.Combine(Root, "locks", "gc.lock"), exclusive: true);

    /// <summary>Serialises work on one snapshot (one layer chain) across threads and processes.</summary>
    public Fd LockSnapshot(Digest chainId) => Locks.Take(Path.Combine(Root, "locks", $"snapshot-{chainId.Hex}.lock"), exclusive: true);

    public byte[] ReadBlob(Descriptor d) => Content.ReadAll(d.ParsedDigest);

    public Manifest ReadManifest(Descriptor d)
        => JsonSerializer.Deserialize(ReadBlob(d), WireJson.Default.Manifest) ?? throw new InvalidDataException($"manifest {d.Digest} is empty");

    public Formats.Index ReadIndex(Descriptor d)
        => JsonSerializer.Deserialize(ReadBlob(d), WireJson.Default.Index) ?? throw new InvalidDataException($"index {d.Digest} is empty");

    public ImageConfig ReadConfig(Descriptor d)
        => JsonSerializer.Deserialize(ReadBlob(d), WireJson.Default.ImageConfig) ?? throw new InvalidDataException($"config {d.Digest} is empty");

    /// <summary>Finds a local image by name ("busybox", "localhost:5000/x:1"), by digest reference, or by ID prefix.</summary>
    public LocalImage Resolve(string nameOrId, Platform? platform = null)
        => TryResolve(nameOrId, platform) ?? throw new ImageNotFoundException(nameOrId);

    public LocalImage? TryResolve(string nameOrId, Platform? platform = null)
    {
        var records = Images.List();
        if (Reference.TryParse(nameOrId, out var r, out _))
        {
            var name = r!.ToString();
            var rec = records.FirstOrDefault(x => x.Name == name);
            if (rec is null && r.Digest is not null)
                rec = records.FirstOrDefault(x => x.Target.Digest == r.Digest && Reference.Parse(x.Name).Repository == r.Repository);
            if (rec is not null) return Load(rec.Target, platform, rec);
        }
        var id = nameOrId.StartsWith("sha256:", StringComparison.Ordinal) ? nameOrId[7..] : nameOrId;
        if (id.Length >= 4 && id.All(char.IsAsciiHexDigitLower))
        {
            foreach (var rec in records)
            {
                var img = TryLoad(rec, platform);
                if (img is not null && img.Id.Hex.StartsWith(id, StringComparison.Ordinal)) return img;
                if (rec.Target.ParsedDigest.Hex.StartsWith(id, StringComparison.Ordinal) && img is not null) return img;
            }
        }
        return null;
    }

    public LocalImage? TryLoad(ImageRecord rec, Platform? platform = null)
    {
        try { return Load(rec.Target, platform, rec); }
        catch (Exception e) when (e is BlobNotFoundException or NoMatchingPlatformException) { return null; }
    }

    /// <summary>Reads an image from the content store; an index is narrowed to the platform's manifest that is present.</summary>
    public LocalImage Load(Descriptor target, Platform? platform = null, ImageRecord? record = null)
    {
        var manifestDesc = target;
        if (MediaTypes.IsIndex(target.MediaType))
        {
            var idx = ReadIndex(target);
            var present = idx.Manifests.Where(m => MediaTypes.IsManifest(m.MediaType) && Content.Exists(m.ParsedDigest)).ToList();
            manifestDesc = PlatformMatcher.Select(present, platform ?? Platform.Host)
                ?? (platform is null && present.Count == 1 ? present[0] : null)
                ?? throw new NoMatchingPlatformException(target.Digest, platform ?? Platform.Host);
        }
        else if (!MediaTypes.IsManifest(target.MediaType)) throw new UnsupportedMediaTypeException(target.MediaType);
        var bytes = ReadBlob(manifestDesc);
        var m = JsonSerializer.Deserialize(bytes, WireJson.Default.Manifest) ?? throw new InvalidDataException("empty manifest");
        var config = ReadConfig(m.Config);
        return new LocalImage(record, target, manifestDesc, m, config);
    }

    public IEnumerable<(ImageRecord Record, LocalImage? Image)> List()
    {
        foreach (var rec in Images.List()) yield return (rec, TryLoad(rec));
    }
}

/// <summary>An image as stored: the name record, the manifest chosen for the platform and its config.</summary>
public sealed record LocalImage(ImageRecord? Record, Descriptor Target, Descriptor ManifestDescriptor, Manifest Manifest, ImageConfig Config)
{
    /// <summary>The image ID docker prints: the config digest.</summary>
    public Digest Id => Manifest.Config.ParsedDigest;
    public long CompressedSize => Manifest.Config.Size + Manifest.Layers.Sum(l => l.Size);
    public Digest[] ChainIds => Layers.ChainId.Of(Config.RootFs.DiffIds);
}

/// <summary>Which images running or stopped containers use; rmi refuses those without --force.</summary>
public interface IImageUsage
{
    IReadOnlyList<string> UsersOf(Digest imageId);
    static readonly IImageUsage None = new NoUsage();
    sealed class NoUsage : IImageUsage { public IReadOnlyList<string> UsersOf(Digest imageId) => []; }
}

public sealed class ImageNotFoundException(string name) : Exception($"image \"{name}\" not found locally");

public sealed class NoMatchingPlatformException(string digest, Platform p)
    : Exception($"index {digest} has no manifest for platform {p}");
