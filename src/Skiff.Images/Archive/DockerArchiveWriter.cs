using System.Text.Json;
using Skiff.Images.Formats;
using Skiff.Images.Layers;

namespace Skiff.Images.Archive;

/// <summary>Writes `docker save` archives: manifest.json (Config, RepoTags, Layers), the config blob, and every layer as an
/// uncompressed tar named by its diffID — what `docker load` and `skopeo copy docker-archive:` read.</summary>
public static class DockerArchiveWriter
{
    public static void Write(ImageService images, IReadOnlyList<(LocalImage Image, string? Name)> list, Stream output)
    {
        var tar = new TarWriter(output);
        var written = new HashSet<string>(StringComparer.Ordinal);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Directory.CreateDirectory(images.TempDir);

        void Dir(string name)
        {
            if (written.Add(name)) tar.WriteHeader(new TarEntry { Name = name, Type = TarEntry.Directory, Mode = 0x1ed, MtimeSec = now });
        }
        void FileEntry(string name, Stream data, long size)
        {
            if (!written.Add(name)) return;
            tar.WriteHeader(new TarEntry { Name = name, Type = TarEntry.Regular, Mode = 0x1a4, Size = size, MtimeSec = now });
            var buf = new byte[1 << 16];
            int n;
            long left = size;
            while (left > 0 && (n = data.Read(buf, 0, (int)Math.Min(buf.Length, left))) > 0) { tar.WriteData(buf.AsSpan(0, n)); left -= n; }
            if (left != 0) throw new IOException($"{name}: short read while archiving");
        }

        Dir("blobs/");
        Dir("blobs/sha256/");
        var byConfig = new Dictionary<string, DockerArchiveEntry>();
        foreach (var (img, name) in list)
        {
            var configPath = $"blobs/sha256/{img.Id.Hex}";
            using (var c = images.Content.OpenRead(img.Id)) FileEntry(configPath, c, c.Length);
            var layerPaths = new List<string>();
            for (int i = 0; i < img.Manifest.Layers.Length; i++)
            {
                var l = img.Manifest.Layers[i];
                var diffId = Content.Digest.Parse(img.Config.RootFs.DiffIds[i]);
                var path = $"blobs/sha256/{diffId.Hex}";
                layerPaths.Add(path);
                if (written.Contains(path)) continue;
                var compression = MediaTypes.LayerCompression(l.MediaType);
                if (compression == Compression.None)
                {
                    using var s = images.Content.OpenRead(l.ParsedDigest);
                    FileEntry(path, s, s.Length);
                    continue;
                }
                // the tar header needs the uncompressed size: decompress to a temp file first
                var tmp = Path.Combine(images.TempDir, $"save-{Guid.NewGuid():n}");
                try
                {
                    using (var src = images.Content.OpenRead(l.ParsedDigest))
                    using (var plain = Decompression.Open(src, compression))
                    using (var t = File.Create(tmp)) plain.CopyTo(t);
                    using var r = File.OpenRead(tmp);
                    FileEntry(path, r, r.Length);
                }
                finally { File.Delete(tmp); }
            }
            var tag = name is null ? null : References.Reference.Parse(name) is { Tag: not null } rr ? rr.Familiar : null;
            if (byConfig.TryGetValue(configPath, out var prev))
            {
                if (tag is not null) byConfig[configPath] = prev with { RepoTags = [.. prev.RepoTags ?? [], tag] };
                continue;
            }
            byConfig[configPath] = new DockerArchiveEntry { Config = configPath, RepoTags = tag is null ? null : [tag], Layers = layerPaths.ToArray() };
        }
        var manifest = JsonSerializer.SerializeToUtf8Bytes(byConfig.Values.ToArray(), WireJson.Default.DockerArchiveEntryArray);
        FileEntry("manifest.json", new MemoryStream(manifest), manifest.Length);
        tar.Finish();
    }
}
