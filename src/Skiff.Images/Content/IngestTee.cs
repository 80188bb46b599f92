namespace Skiff.Images.Content;

/// <summary>Reads from a download and writes every byte into the blob being ingested, so one pass over the network
/// both stores the blob and feeds the decompressor.</summary>
public sealed class IngestTee(Stream source, Ingest ingest, IProgress<long>? progress = null) : Stream
{
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
    public override int Read(Span<byte> buffer)
    {
        int n = source.Read(buffer);
        if (n > 0)
        {
            ingest.Write(buffer[..n]);
            progress?.Report(ingest.Offset);
        }
        return n;
    }

    /// <summary>Reads what the consumer left (a gzip trailer, tar padding) so the whole blob is stored.</summary>
    public void Drain()
    {
        var buf = new byte[1 << 16];
        while (Read(buf) > 0) { }
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => ingest.Offset; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    protected override void Dispose(bool disposing) { if (disposing) source.Dispose(); base.Dispose(disposing); }
}
