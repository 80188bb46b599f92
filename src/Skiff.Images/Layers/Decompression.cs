using System.IO.Compression;
using Skiff.Images.Formats;

namespace Skiff.Images.Layers;

/// <summary>Opens the decompressor a layer's media type (or its magic bytes) asks for.</summary>
public static class Decompression
{
    public static Stream Open(Stream compressed, Compression c, bool leaveOpen = false) => c switch
    {
        Compression.Gzip => new GZipStream(compressed, CompressionMode.Decompress, leaveOpen),
        Compression.Zstd => new ZstdSharp.DecompressionStream(compressed, bufferSize: 1 << 17, checkEndOfStream: true, leaveOpen: leaveOpen),
        _ => compressed,
    };

    /// <summary>Guesses from the first bytes: 1f 8b gzip, 28 b5 2f fd zstd, else uncompressed.</summary>
    public static Compression Detect(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 2 && head[0] == 0x1f && head[1] == 0x8b) return Compression.Gzip;
        if (head.Length >= 4 && head[0] == 0x28 && head[1] == 0xb5 && head[2] == 0x2f && head[3] == 0xfd) return Compression.Zstd;
        return Compression.None;
    }

    public static Compression Detect(string path)
    {
        Span<byte> head = stackalloc byte[4];
        using var f = File.OpenRead(path);
        int n = f.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        return Detect(head[..n]);
    }
}
