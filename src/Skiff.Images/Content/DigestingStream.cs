using System.Security.Cryptography;

namespace Skiff.Images.Content;

/// <summary>A read-through stream that hashes and counts what passes (e.g. a layer's uncompressed bytes → its diffID).</summary>
public sealed class DigestingStream(Stream inner, bool leaveOpen = false) : Stream
{
    readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    public long Count { get; private set; }

    public Digest Digest() => Content.Digest.FromHasher("sha256", _hash);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
    public override int Read(Span<byte> buffer)
    {
        int n = inner.Read(buffer);
        _hash.AppendData(buffer[..n]);
        Count += n;
        return n;
    }

    /// <summary>Reads to the end (tar streams end before the compressed stream does).</summary>
    public void Drain()
    {
        var buf = new byte[1 << 16];
        while (Read(buf) > 0) { }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        inner.Write(buffer);
        _hash.AppendData(buffer);
        Count += buffer.Length;
    }

    public override bool CanRead => inner.CanRead;
    public override bool CanSeek => false;
    public override bool CanWrite => inner.CanWrite;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => Count; set => throw new NotSupportedException(); }
    public override void Flush() => inner.Flush();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    protected override void Dispose(bool disposing)
    {
        if (disposing) { _hash.Dispose(); if (!leaveOpen) inner.Dispose(); }
        base.Dispose(disposing);
    }
}
