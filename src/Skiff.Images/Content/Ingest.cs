using Skiff.Linux;

namespace Skiff.Images.Content;

/// <summary>One writer of one blob. Holding it means holding the per-digest lock, so concurrent writers of the same blob
/// (threads or processes) do the work once: the second waits, then finds the blob <see cref="Complete"/>.
/// Bytes already in the partial file from an interrupted writer are kept: <see cref="Offset"/> says where to resume.</summary>
public sealed class Ingest : IDisposable
{
    readonly ContentStore _store;
    Fd _lock;
    FileStream? _data;
    System.Security.Cryptography.IncrementalHash? _hash;
    readonly string _dataPath;

    Ingest(ContentStore store, Digest expected, long size, Fd lockFd)
    {
        _store = store;
        Expected = expected;
        Size = size;
        _lock = lockFd;
        _dataPath = Path.Combine(store.IngestDir, $"{expected.Algorithm}-{expected.Hex}.data");
    }

    public Digest Expected { get; }
    public long Size { get; }
    /// <summary>The blob is already in the store; nothing to write.</summary>
    public bool Complete { get; private set; }
    /// <summary>Bytes already written (and hashed): the next byte to write is at this offset.</summary>
    public long Offset { get; private set; }

    internal static Ingest Begin(ContentStore store, Digest expected, long size)
    {
        var lockFd = Locks.Take(Path.Combine(store.IngestDir, $"{expected.Algorithm}-{expected.Hex}.lock"), exclusive: true);
        var w = new Ingest(store, expected, size, lockFd);
        try { w.Open(); }
        catch { w.Dispose(); throw; }
        return w;
    }

    void Open()
    {
        if (_store.Exists(Expected)) { Complete = true; return; }
        _hash = Expected.NewHasher();
        _data = new FileStream(_dataPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1 << 16);
        long have = _data.Length;
        if (size_ok(have))
        {
            // Re-hash what an earlier writer left so the final digest covers the whole blob.
            var buf = new byte[1 << 16];
            _data.Position = 0;
            long left = have;
            while (left > 0)
            {
                int n = _data.Read(buf, 0, (int)Math.Min(buf.Length, left));
                if (n == 0) break;
                _hash.AppendData(buf, 0, n);
                left -= n;
            }
            Offset = have - left;
            _data.SetLength(Offset);
        }
        else { _data.SetLength(0); Offset = 0; }
        _data.Position = Offset;

        bool size_ok(long h) => Size < 0 || h <= Size;
    }

    /// <summary>Discards resumed bytes (a server that ignored a Range request sends the blob from the start).</summary>
    public void Restart()
    {
        Check();
        _data!.SetLength(0);
        _data.Position = 0;
        _hash!.Dispose();
        _hash = Expected.NewHasher();
        Offset = 0;
    }

    /// <summary>The bytes already present (when resuming), e.g. to unpack them before the rest arrives.</summary>
    public Stream OpenPartial()
    {
        Check();
        var r = new FileStream(_dataPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
        return new BoundedStream(r, Offset);
    }

    public void Write(ReadOnlySpan<byte> data)
    {
        Check();
        if (Size >= 0 && Offset + data.Length > Size)
            throw new SizeMismatchException(Expected, Size, Offset + data.Length);
        _data!.Write(data);
        _hash!.AppendData(data);
        Offset += data.Length;
    }

    /// <summary>Verifies size and digest, makes the blob durable and visible. On mismatch the partial data is discarded
    /// (it can never become right) and the exception says what was wrong.</summary>
    public void Commit()
    {
        Check();
        var actual = Digest.FromHasher(Expected.Algorithm, _hash!);
        if ((Size >= 0 && Offset != Size) || actual != Expected)
        {
            _data!.Dispose(); _data = null;
            File.Delete(_dataPath);
            if (Size >= 0 && Offset != Size) throw new SizeMismatchException(Expected, Size, Offset);
            throw new DigestMismatchException(Expected, actual, "blob");
        }
        _data!.Flush(flushToDisk: true);
        _data.Dispose(); _data = null;
        var final = _store.BlobPath(Expected);
        Directory.CreateDirectory(Path.GetDirectoryName(final)!);
        File.Move(_dataPath, final, overwrite: true);
        Sync.Directory(Path.GetDirectoryName(final)!);
        Complete = true;
    }

    void Check()
    {
        if (Complete) throw new InvalidOperationException($"blob {Expected} is already complete");
        if (_data is null) throw new ObjectDisposedException(nameof(Ingest));
    }

    public void Dispose()
    {
        try { _data?.Dispose(); } // flushing can fail (ENOSPC); the partial file is re-read on resume anyway
        catch (IOException) { }
        finally
        {
            _data = null;
            _hash?.Dispose(); _hash = null;
            if (Complete && _lock.IsValid) File.Delete(Path.Combine(_store.IngestDir, $"{Expected.Algorithm}-{Expected.Hex}.lock"));
            _lock.Dispose();
        }
    }
}
