using Skiff.Images.Gc;

namespace Skiff.Images.Tests;

public class GcTests
{
    [Theory]
    [InlineData("overlayfs")]
    [InlineData("copy")]
    public void Collect_removes_only_what_no_name_references(string snapshotter)
    {
        using var t = new TempDir();
        var images = ImageService.Open(t.Path, snapshotter);
        var a = Busybox.Import(images, "localhost/a:1", "a");
        var b = Busybox.Import(images, "localhost/b:1", "b");
        images.Images.Set("localhost/a:2", a.Target);
        // debris of an interrupted pull: an unpack snapshot and a partial download
        images.Snapshots.Prepare("unpack-deadbeef", null);
        using (var w = images.Content.BeginIngest(Content.Digest.Sha256("never"u8), 5)) w.Write("nev"u8);

        var r0 = GarbageCollector.Collect(images);
        Assert.Equal(0, r0.BlobsRemoved);
        Assert.Equal(1, r0.SnapshotsRemoved);
        Assert.Equal(1, r0.PartialsRemoved);

        images.Images.Delete("localhost/b:1");
        var r = GarbageCollector.Collect(images);
        Assert.Equal(3, r.BlobsRemoved); // b's manifest, config, layer
        Assert.False(images.Content.Exists(b.Id));
        Assert.True(images.Content.Exists(a.Id));
        Assert.Null(images.Snapshots.Stat(b.ChainIds[^1].ToString()));
        Assert.NotNull(images.Snapshots.Stat(a.ChainIds[^1].ToString()));
        Assert.NotNull(images.TryResolve("localhost/a:2"));

        images.Images.Delete("localhost/a:1");
        Assert.Equal(0, GarbageCollector.Collect(images).BlobsRemoved); // still named a:2
        images.Images.Delete("localhost/a:2");
        GarbageCollector.Collect(images);
        Assert.Empty(images.Content.List());
        Assert.Empty(images.Snapshots.List());
    }
}

public class RemovalTests
{
    sealed class Using(Content.Digest id) : IImageUsage
    {
        public IReadOnlyList<string> UsersOf(Content.Digest imageId) => imageId == id ? ["c0ffee"] : [];
    }

    [Fact]
    public void Images_in_use_are_refused_unless_forced_and_prune_all_keeps_them()
    {
        using var t = new TempDir();
        var images = ImageService.Open(t.Path);
        var a = Busybox.Import(images, "localhost/a:1", "a");
        var b = Busybox.Import(images, "localhost/b:1", "b");
        images.Usage = new Using(a.Id);
        var e = Assert.Throws<ImageInUseException>(() => ImageRemoval.Remove(images, "localhost/a:1", force: false));
        Assert.Contains("c0ffee", e.Message);
        var (untagged, _) = ImageRemoval.Prune(images, all: true);
        Assert.Equal(["localhost/b:1"], untagged);
        Assert.False(images.Content.Exists(b.Id));
        var r = ImageRemoval.Remove(images, "localhost/a:1", force: true);
        Assert.Equal(a.Id, r.Deleted);
        Assert.Empty(images.Content.List());
    }
}
