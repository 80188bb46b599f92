namespace Skiff.Images.Content;

/// <summary>The first <c>length</c> bytes of a stream, then (optionally) another stream: a resumed blob is its partial
/// file followed by the rest from the network.</summary>
public sealed class BoundedStream(Stream inner, long length, Stream? then = null) : Stream
{
    long _left = length;

    public Stream Then(Stream next) => new BoundedStream(inner, _left, next);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
    public override int Read(Span<byte> buffer)
    {
        if (_left > 0)
        {
            int n = inner.Read(buffer[..(int)Math.Min(buffer.Length, _left)]);
            if (n == 0) throw new EndOfStreamException("partial blob is shorter than recorded");
            _left -= n;
            return n;
        }
        return then?.Read(buffer) ?? 0;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    protected override void Dispose(bool disposing) { if (disposing) { inner.Dispose(); then?.Dispose(); } base.Dispose(disposing); }
}
