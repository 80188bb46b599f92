using Skiff.Images.Content;
using Skiff.Images.Metadata;

namespace Skiff.Images.Tests;

public class ContentStoreTests
{
    [Fact]
    public void Put_stores_by_digest_and_rejects_a_wrong_expected_digest()
    {
        using var t = new TempDir();
        var s = new ContentStore(t.Path);
        var d = s.Put("hello"u8);
        Assert.True(s.Exists(d));
        Assert.Equal("hello"u8.ToArray(), s.ReadAll(d));
        var wrong = Digest.Sha256("other"u8);
        Assert.Throws<DigestMismatchException>(() => s.Put("hello!"u8, wrong));
        Assert.False(s.Exists(Digest.Sha256("hello!"u8)));
    }

    [Fact]
    public void A_blob_with_wrong_bytes_never_becomes_visible_and_leaves_no_partial()
    {
        using var t = new TempDir();
        var s = new ContentStore(t.Path);
        var want = Digest.Sha256("right"u8);
        using (var w = s.BeginIngest(want, 5))
        {
            w.Write("wrong"u8);
            Assert.Throws<DigestMismatchException>(() => w.Commit());
        }
        Assert.False(s.Exists(want));
        Assert.Empty(Directory.GetFiles(Path.Combine(t.Path, "ingest"), "*.data"));
        using (var w = s.BeginIngest(want, 5))
        {
            Assert.Equal(0, w.Offset);
            Assert.Throws<SizeMismatchException>(() => w.Write("right!"u8));
        }
    }

    [Fact]
    public void Interrupted_writes_resume_where_they_stopped()
    {
        using var t = new TempDir();
        var s = new ContentStore(t.Path);
        var data = new byte[300_000];
        new Random(1).NextBytes(data);
        var d = Digest.Sha256(data);
        using (var w = s.BeginIngest(d, data.Length)) w.Write(data.AsSpan(0, 123_456)); // "crash": disposed without commit
        Assert.False(s.Exists(d));
        using (var w = s.BeginIngest(d, data.Length))
        {
            Assert.Equal(123_456, w.Offset);
            using (var partial = w.OpenPartial())
            {
                var ms = new MemoryStream();
                partial.CopyTo(ms);
                Assert.Equal(data.AsSpan(0, 123_456).ToArray(), ms.ToArray());
            }
            w.Write(data.AsSpan(123_456));
            w.Commit();
        }
        Assert.Equal(data, s.ReadAll(d));
    }

    [Fact]
    public void Concurrent_writers_of_one_blob_do_the_work_once()
    {
        using var t = new TempDir();
        var s = new ContentStore(t.Path);
        var data = new byte[1 << 20];
        new Random(2).NextBytes(data);
        var d = Digest.Sha256(data);
        int wrote = 0;
        Parallel.For(0, 8, _ =>
        {
            using var w = s.BeginIngest(d, data.Length);
            if (w.Complete) return;
            Interlocked.Increment(ref wrote);
            w.Write(data);
            w.Commit();
        });
        Assert.Equal(1, wrote);
        Assert.Equal(data, s.ReadAll(d));
    }

    [Fact]
    public void Image_names_update_atomically_and_survive_reopen()
    {
        using var t = new TempDir();
        var store = new ImageStore(t.Path);
        var desc = new Formats.Descriptor { MediaType = Formats.MediaTypes.OciManifest, Digest = Digest.Sha256("m"u8).ToString(), Size = 1 };
        Parallel.For(0, 20, i => store.Set($"docker.io/library/x:{i}", desc));
        Assert.Equal(20, new ImageStore(t.Path).List().Count);
        Assert.True(store.Delete("docker.io/library/x:3"));
        Assert.False(store.Delete("docker.io/library/x:3"));
        Assert.Equal(19, new ImageStore(t.Path).List().Count);
        Assert.Empty(Directory.GetFiles(t.Path, "*.tmp"));
    }
}
