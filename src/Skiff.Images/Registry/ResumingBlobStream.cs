using Skiff.Images.Content;

namespace Skiff.Images.Registry;

/// <summary>A blob download that survives dropped connections and truncated bodies: on a read failure it asks again
/// with Range from the byte it got to (skipping ahead itself if the server ignores ranges), with backoff, until the
/// expected size is reached or attempts run out.</summary>
public sealed class ResumingBlobStream : Stream
{
    readonly RemoteRepository _repo;
    readonly Digest _digest;
    readonly long _size;
    readonly CancellationToken _ct;
    Stream? _body;
    HttpResponseMessage? _resp;
    long _pos;
    int _failures;

    ResumingBlobStream(RemoteRepository repo, Digest d, long size, long offset, CancellationToken ct)
    {
        _repo = repo; _digest = d; _size = size; _pos = offset; _ct = ct;
    }

    public static async Task<ResumingBlobStream> OpenAsync(RemoteRepository repo, Digest d, long size, long offset, CancellationToken ct)
    {
        var s = new ResumingBlobStream(repo, d, size, offset, ct);
        await s.ConnectAsync();
        return s;
    }

    public long Resumes { get; private set; }

    async Task ConnectAsync()
    {
        _body?.Dispose(); _resp?.Dispose();
        var (body, start, resp) = await _repo.OpenBlobAsync(_digest, _pos, _ct);
        _body = body; _resp = resp;
        if (start < _pos)
        {
            // server sent from an earlier byte (ignored Range): skip to where we are
            long skip = _pos - start;
            var buf = new byte[1 << 16];
            while (skip > 0)
            {
                int n = await _body.ReadAsync(buf.AsMemory(0, (int)Math.Min(buf.Length, skip)), _ct);
                if (n == 0) throw new IOException("blob body ended while skipping to the resume offset");
                skip -= n;
            }
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
    public override int Read(Span<byte> buffer)
    {
        if (_size >= 0 && _pos >= _size) return 0;
        if (_size >= 0 && buffer.Length > _size - _pos) buffer = buffer[..(int)(_size - _pos)];
        while (true)
        {
            Exception? err = null;
            try
            {
                int n = _body!.Read(buffer);
                if (n > 0) { _pos += n; return n; }
                if (_size < 0) return 0;
                err = new EndOfStreamException($"blob {_digest}: connection ended at byte {_pos} of {_size}");
            }
            catch (Exception e) when (e is IOException or HttpRequestException && !_ct.IsCancellationRequested) { err = e; }
            Recover(err).GetAwaiter().GetResult();
        }
    }

    async Task Recover(Exception err)
    {
        if (++_failures >= _repo.Client.Options.MaxAttempts)
            throw new IOException($"blob {_digest}: download failed after {_failures} attempts at byte {_pos} of {_size}: {err.Message}", err);
        await Task.Delay(_repo.Client.Backoff(_failures), _ct);
        Resumes++;
        try { await ConnectAsync(); }
        catch (Exception e) when (e is IOException or HttpRequestException) { _body = Stream.Null; }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        if (_size >= 0 && _pos >= _size) return 0;
        if (_size >= 0 && buffer.Length > _size - _pos) buffer = buffer[..(int)(_size - _pos)];
        while (true)
        {
            Exception? err = null;
            try
            {
                int n = await _body!.ReadAsync(buffer, _ct);
                if (n > 0) { _pos += n; return n; }
                if (_size < 0) return 0;
                err = new EndOfStreamException($"blob {_digest}: connection ended at byte {_pos} of {_size}");
            }
            catch (Exception e) when (e is IOException or HttpRequestException && !_ct.IsCancellationRequested) { err = e; }
            await Recover(err);
        }
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => _size;
    public override long Position { get => _pos; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    protected override void Dispose(bool disposing)
    {
        if (disposing) { _body?.Dispose(); _resp?.Dispose(); }
        base.Dispose(disposing);
    }
}
