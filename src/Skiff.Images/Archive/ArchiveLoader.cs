using System.Text.Json;
using Skiff.Images.Content;
using Skiff.Images.Formats;
using Skiff.Images.Layers;
using Skiff.Images.References;
using Skiff.Images.Transfer;

namespace Skiff.Images.Archive;

/// <summary>`load`: reads a docker-archive (manifest.json) or an OCI image layout (index.json + oci-layout), given as a
/// directory or as a tar file (optionally compressed), into the store. Tar files are first extracted with the same
/// confined extractor layers use, so a hostile archive cannot write outside its temporary directory.</summary>
public sealed class ArchiveLoader(ImageService images)
{
    public sealed record Loaded(LocalImage Image, string? Name);

    public IReadOnlyList<Loaded> Load(string path)
    {
        using var gc = images.LockShared();
        if (Directory.Exists(path)) return LoadDirectory(path);
        var tmp = Path.Combine(images.TempDir, $"load-{Guid.NewGuid():n}");
        Directory.CreateDirectory(tmp);
        try
        {
            using (var f = File.OpenRead(path)) Extract(f, tmp);
            return LoadDirectory(tmp);
        }
        finally { SnapshotsDelete(tmp); }
    }

    public IReadOnlyList<Loaded> Load(Stream tarStream)
    {
        using var gc = images.LockShared();
        var tmp = Path.Combine(images.TempDir, $"load-{Guid.NewGuid():n}");
        Directory.CreateDirectory(tmp);
        try
        {
            Extract(tarStream, tmp);
            return LoadDirectory(tmp);
        }
        finally { SnapshotsDelete(tmp); }
    }

    static void SnapshotsDelete(string d) => Snapshots.SnapshotDirectory.DeleteTree(d);

    static void Extract(Stream s, string dir)
    {
        var buffered = new BufferedStream(s, 1 << 16);
        var head = new byte[4];
        int n = buffered.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        var c = Decompression.Detect(head.AsSpan(0, n));
        using var whole = new BoundedStream(new MemoryStream(head, 0, n), n, buffered);
        using var plain = Decompression.Open(whole, c);
        using var applier = new LayerApplier(dir, WhiteoutStyle.Delete);
        applier.Apply(plain);
    }

    IReadOnlyList<Loaded> LoadDirectory(string dir)
    {
        if (File.Exists(Path.Combine(dir, "manifest.json"))) return LoadDockerArchive(dir);
        if (File.Exists(Path.Combine(dir, "index.json"))) return LoadOciLayout(dir);
        throw new InvalidDataException("not an image archive: neither manifest.json (docker-archive) nor index.json (OCI layout) found");
    }

    /// <summary>Opens a file named inside the archive, refusing names that leave it.</summary>
    static FileStream OpenInside(string dir, string name)
    {
        var clean = EntryName.Clean(name);
        var full = Path.GetFullPath(Path.Combine(dir, clean));
        if (!full.StartsWith(Path.GetFullPath(dir) + "/", StringComparison.Ordinal)) throw new LayerSecurityException($"archive names \"{name}\" outside itself");
        var info = new FileInfo(full);
        if (info.LinkTarget is not null) throw new LayerSecurityException($"archive member \"{name}\" is a symlink");
        return File.OpenRead(full);
    }

    Digest PutFile(string dir, string name, Digest? expected = null)
    {
        using var f = OpenInside(dir, name);
        var digest = expected ?? new Digest("sha256", Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(f)));
        f.Position = 0;
        using var w = images.Content.BeginIngest(digest, f.Length);
        if (w.Complete) return digest;
        w.Restart();
        var buf = new byte[1 << 16];
        int n;
        while ((n = f.Read(buf)) > 0) w.Write(buf.AsSpan(0, n));
        w.Commit();
        return digest;
    }

    IReadOnlyList<Loaded> LoadDockerArchive(string dir)
    {
        byte[] json;
        using (var f = OpenInside(dir, "manifest.json")) { json = new byte[f.Length]; f.ReadExactly(json); }
        var entries = JsonSerializer.Deserialize(json, WireJson.Default.DockerArchiveEntryArray) ?? [];
        var result = new List<Loaded>();
        foreach (var e in entries)
        {
            var configDigest = PutFile(dir, e.Config);
            var configBytes = images.Content.ReadAll(configDigest);
            var config = JsonSerializer.Deserialize(configBytes, WireJson.Default.ImageConfig) ?? throw new InvalidDataException("empty config");
            if (config.RootFs.DiffIds.Length != e.Layers.Length) throw new InvalidDataException($"{e.Config}: diff_ids and layers differ in number");
            var layers = new Descriptor[e.Layers.Length];
            for (int i = 0; i < e.Layers.Length; i++)
            {
                Compression c;
                using (var f = OpenInside(dir, e.Layers[i])) { var h = new byte[4]; int n = f.ReadAtLeast(h, 4, false); c = Decompression.Detect(h.AsSpan(0, n)); }
                var d = PutFile(dir, e.Layers[i]);
                layers[i] = new Descriptor
                {
                    MediaType = c switch { Compression.Gzip => MediaTypes.DockerLayerGzip, Compression.Zstd => MediaTypes.OciLayerZstd, _ => MediaTypes.DockerLayer },
                    Digest = d.ToString(),
                    Size = images.Content.Size(d)!.Value,
                };
            }
            var manifest = new Manifest
            {
                MediaType = MediaTypes.DockerManifest,
                Config = new Descriptor { MediaType = MediaTypes.DockerConfig, Digest = configDigest.ToString(), Size = configBytes.Length },
                Layers = layers,
            };
            var mbytes = JsonSerializer.SerializeToUtf8Bytes(manifest, WireJson.Default.Manifest);
            var md = images.Content.Put(mbytes);
            var target = new Descriptor { MediaType = MediaTypes.DockerManifest, Digest = md.ToString(), Size = mbytes.Length };
            new ImageWriter(images).Unpack(manifest, config);
            var tags = e.RepoTags ?? [];
            if (tags.Length == 0) result.Add(new Loaded(images.Load(target), null));
            foreach (var t in tags)
            {
                var name = Reference.Parse(t).ToString();
                var rec = images.Images.Set(name, target);
                result.Add(new Loaded(images.Load(target, record: rec), name));
            }
        }
        return result;
    }

    IReadOnlyList<Loaded> LoadOciLayout(string dir)
    {
        byte[] json;
        using (var f = OpenInside(dir, "index.json")) { json = new byte[f.Length]; f.ReadExactly(json); }
        var index = JsonSerializer.Deserialize(json, WireJson.Default.Index) ?? throw new InvalidDataException("empty index.json");
        var result = new List<Loaded>();
        foreach (var d in index.Manifests)
        {
            ImportTree(dir, d);
            var img = images.Load(d);
            new ImageWriter(images).Unpack(img.Manifest, img.Config);
            var name = NameOf(d);
            if (name is null) { result.Add(new Loaded(img, null)); continue; }
            var rec = images.Images.Set(name, d with { Annotations = null, Platform = null });
            result.Add(new Loaded(img with { Record = rec }, name));
        }
        return result;
    }

    /// <summary>io.containerd.image.name, else a ref.name that is a whole reference; a bare tag names nothing.</summary>
    static string? NameOf(Descriptor d)
    {
        var a = d.Annotations;
        if (a is null) return null;
        if (a.TryGetValue(OciLayout.ContainerdNameAnnotation, out var n) && Reference.TryParse(n, out var r, out _)) return r!.ToString();
        if (a.TryGetValue(OciLayout.RefNameAnnotation, out var rn) && (rn.Contains('/') || rn.Contains(':')) && Reference.TryParse(rn, out var r2, out _))
            return r2!.ToString();
        return null;
    }

    void ImportTree(string dir, Descriptor d)
    {
        var dg = d.ParsedDigest;
        PutFile(dir, $"blobs/{dg.Algorithm}/{dg.Hex}", dg);
        if (MediaTypes.IsIndex(d.MediaType))
        {
            foreach (var c in images.ReadIndex(d).Manifests)
                if (File.Exists(Path.Combine(dir, "blobs", c.ParsedDigest.Algorithm, c.ParsedDigest.Hex))) ImportTree(dir, c);
            return;
        }
        if (!MediaTypes.IsManifest(d.MediaType)) throw new UnsupportedMediaTypeException(d.MediaType);
        var m = images.ReadManifest(d);
        PutFile(dir, $"blobs/{m.Config.ParsedDigest.Algorithm}/{m.Config.ParsedDigest.Hex}", m.Config.ParsedDigest);
        foreach (var l in m.Layers) PutFile(dir, $"blobs/{l.ParsedDigest.Algorithm}/{l.ParsedDigest.Hex}", l.ParsedDigest);
    }
}
