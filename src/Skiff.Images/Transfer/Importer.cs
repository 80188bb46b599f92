using Skiff.Images.Formats;
using Skiff.Images.Layers;

namespace Skiff.Images.Transfer;

/// <summary>`import`: a rootfs tarball (plain, gzip or zstd) or a directory becomes a one-layer image.</summary>
public sealed class Importer(ImageService images)
{
    public LocalImage ImportTarball(Stream tarball, string? name, ContainerConfig? run = null, string? message = null)
    {
        using var gc = images.LockShared();
        var buffered = new BufferedStream(tarball, 1 << 16);
        Span<byte> head = stackalloc byte[4];
        // peek: BufferedStream cannot unread, so read into a small prefix and chain it
        int n = buffered.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        var prefix = head[..n].ToArray();
        var compression = Decompression.Detect(prefix);
        var whole = new Content.BoundedStream(new MemoryStream(prefix), prefix.Length, buffered);
        var layer = LayerCompressor.Store(images.Content, images.TempDir, sink =>
        {
            using var plain = Decompression.Open(whole, compression, leaveOpen: true);
            // Re-write through our tar reader/writer: validates the archive and normalises it.
            using var r = new TarReader(plain);
            var w = new TarWriter(sink);
            var buf = new byte[1 << 16];
            while (r.Next() is { } e)
            {
                if (e.Sparse is not null) { WriteDense(r, w, e); continue; }
                w.WriteHeader(e);
                if (!e.IsRegular) continue;
                int k;
                while ((k = r.Read(buf)) > 0) w.WriteData(buf.AsSpan(0, k));
            }
            w.Finish();
        });
        return new ImageWriter(images).Create([new ImageWriter.NewLayer(layer.Blob, layer.DiffId, message ?? "skiff import")], run, name: name);
    }

    /// <summary>A GNU sparse entry is stored dense (layers for other engines must not need a sparse-aware reader);
    /// applying the layer turns its zero runs back into holes.</summary>
    static void WriteDense(TarReader r, TarWriter w, TarEntry e)
    {
        var map = e.Sparse!;
        e.Size = map.RealSize;
        e.Sparse = null;
        w.WriteHeader(e);
        var zeros = new byte[1 << 16];
        long at = 0;
        foreach (var region in map.Regions)
        {
            for (; at < region.Offset; at += Math.Min(zeros.Length, region.Offset - at))
                w.WriteData(zeros.AsSpan(0, (int)Math.Min(zeros.Length, region.Offset - at)));
            for (long left = region.Length; left > 0;)
            {
                var chunk = r.ReadChunk(left);
                if (chunk.IsEmpty) throw new EndOfStreamException($"tar: \"{e.Name}\" truncated");
                w.WriteData(chunk);
                left -= chunk.Length;
                at += chunk.Length;
            }
        }
        for (; at < map.RealSize; at += Math.Min(zeros.Length, map.RealSize - at))
            w.WriteData(zeros.AsSpan(0, (int)Math.Min(zeros.Length, map.RealSize - at)));
    }

    public LocalImage ImportDirectory(string dir, string? name, ContainerConfig? run = null, DateTimeOffset? created = null)
    {
        using var gc = images.LockShared();
        var layer = LayerCompressor.Store(images.Content, images.TempDir, sink => LayerWriter.WriteTree(dir, sink));
        return new ImageWriter(images).Create([new ImageWriter.NewLayer(layer.Blob, layer.DiffId, "skiff import")], run, created, name);
    }
}
