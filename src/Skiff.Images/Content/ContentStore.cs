using Skiff.Linux;

namespace Skiff.Images.Content;

/// <summary>Content-addressable blobs under <c>root/blobs/ALG/HEX</c>. A blob becomes visible only after its bytes were
/// checked against the expected digest and size, fsynced and renamed into place; partial writes live in
/// <c>root/ingest</c> and are resumed by the next writer of the same digest.</summary>
public sealed class ContentStore
{
    public ContentStore(string root)
    {
        Root = root;
        Directory.CreateDirectory(Path.Combine(root, "blobs", "sha256"));
        Directory.CreateDirectory(Path.Combine(root, "ingest"));
    }

    public string Root { get; }
    public string BlobPath(Digest d) => Path.Combine(Root, "blobs", d.Algorithm, d.Hex);
    internal string IngestDir => Path.Combine(Root, "ingest");

    public bool Exists(Digest d) => File.Exists(BlobPath(d));

    public long? Size(Digest d)
    {
        var fi = new FileInfo(BlobPath(d));
        return fi.Exists ? fi.Length : null;
    }

    public FileStream OpenRead(Digest d)
    {
        try { return new FileStream(BlobPath(d), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan); }
        catch (FileNotFoundException) { throw new BlobNotFoundException(d); }
        catch (DirectoryNotFoundException) { throw new BlobNotFoundException(d); }
    }

    public byte[] ReadAll(Digest d)
    {
        try { return File.ReadAllBytes(BlobPath(d)); }
        catch (FileNotFoundException) { throw new BlobNotFoundException(d); }
        catch (DirectoryNotFoundException) { throw new BlobNotFoundException(d); }
    }

    /// <summary>Stores bytes already in memory; the digest is computed (and compared when <paramref name="expected"/> is given).</summary>
    public Digest Put(ReadOnlySpan<byte> data, Digest? expected = null)
    {
        var d = Digest.Sha256(data);
        if (expected is { } e && e != d) throw new DigestMismatchException(e, d);
        if (Exists(d)) return d;
        using var w = Ingest.Begin(this, d, data.Length);
        if (w.Complete) return d;
        w.Restart(); // we hold every byte: a partial left by a killed writer is not needed
        w.Write(data);
        w.Commit();
        return d;
    }

    /// <summary>Starts (or resumes) writing the blob <paramref name="expected"/>; see <see cref="Ingest"/>.</summary>
    public Ingest BeginIngest(Digest expected, long size) => Ingest.Begin(this, expected, size);

    public IEnumerable<(Digest Digest, long Size)> List()
    {
        foreach (var algDir in Directory.EnumerateDirectories(Path.Combine(Root, "blobs")))
        {
            var alg = Path.GetFileName(algDir);
            foreach (var f in Directory.EnumerateFiles(algDir))
                if (Digest.TryParse($"{alg}:{Path.GetFileName(f)}", out var d, out _))
                    yield return (d, new FileInfo(f).Length);
        }
    }

    public bool Delete(Digest d)
    {
        var p = BlobPath(d);
        if (!File.Exists(p)) return false;
        File.Delete(p);
        return true;
    }

    /// <summary>Removes partial writes nobody holds the lock of (used by GC).</summary>
    public int CleanIngest()
    {
        int n = 0;
        foreach (var lockFile in Directory.EnumerateFiles(IngestDir, "*.lock"))
        {
            using var l = Locks.TryTake(lockFile, exclusive: true);
            if (!l.IsValid) continue;
            var data = lockFile[..^".lock".Length] + ".data";
            if (File.Exists(data)) { File.Delete(data); n++; }
            File.Delete(lockFile);
        }
        return n;
    }
}

public sealed class BlobNotFoundException(Digest d) : Exception($"blob {d} not found in the content store")
{
    public Digest Digest { get; } = d;
}

public sealed class DigestMismatchException(Digest expected, Digest actual, string? what = null)
    : Exception($"{what ?? "content"} digest mismatch: expected {expected}, got {actual}")
{
    public Digest Expected { get; } = expected;
    public Digest Actual { get; } = actual;
}

public sealed class SizeMismatchException(Digest d, long expected, long actual)
    : Exception($"blob {d}: size mismatch: expected {expected} bytes, got {actual}");
