using System.IO.Compression;
using Skiff.Images.Content;
using Skiff.Images.Formats;

namespace Skiff.Images.Layers;

/// <summary>Turns an uncompressed layer tar into a stored blob: one pass computes the diffID (sha256 of the tar) and
/// writes the compressed blob (gzip by default, zstd optionally) into the content store.</summary>
public static class LayerCompressor
{
    public sealed record Result(Descriptor Blob, Digest DiffId);

    /// <summary><paramref name="writeTar"/> writes the tar into the stream it is given.</summary>
    public static Result Store(ContentStore store, string tempDir, Action<Stream> writeTar, Compression compression = Compression.Gzip, bool oci = true)
    {
        Directory.CreateDirectory(tempDir);
        var tmp = Path.Combine(tempDir, $"layer-{Guid.NewGuid():n}");
        try
        {
            Digest diffId;
            using (var file = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                Stream z = compression switch
                {
                    Compression.Gzip => new GZipStream(file, CompressionLevel.Fastest, leaveOpen: true),
                    Compression.Zstd => new ZstdSharp.CompressionStream(file, 3, leaveOpen: true),
                    _ => new NonClosing(file),
                };
                using (var tar = new DigestingStream(z, leaveOpen: false))
                {
                    writeTar(tar);
                    tar.Flush();
                    diffId = tar.Digest();
                }
                file.Flush(flushToDisk: true);
            }
            Digest blob;
            long size;
            using (var f = File.OpenRead(tmp))
            {
                size = f.Length;
                blob = new Digest("sha256", Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(f)));
            }
            if (!store.Exists(blob))
            {
                using var w = store.BeginIngest(blob, size);
                if (!w.Complete)
                {
                    using (var f = File.OpenRead(tmp)) { w.Restart(); var buf = new byte[1 << 16]; int n; while ((n = f.Read(buf)) > 0) w.Write(buf.AsSpan(0, n)); }
                    w.Commit();
                }
            }
            var mt = compression switch
            {
                Compression.Gzip => oci ? MediaTypes.OciLayerGzip : MediaTypes.DockerLayerGzip,
                Compression.Zstd => MediaTypes.OciLayerZstd,
                _ => oci ? MediaTypes.OciLayer : MediaTypes.DockerLayer,
            };
            return new Result(new Descriptor { MediaType = mt, Digest = blob.ToString(), Size = size }, diffId);
        }
        finally { File.Delete(tmp); }
    }

    sealed class NonClosing(Stream inner) : Stream
    {
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
        public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
