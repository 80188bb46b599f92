using Skiff.Images.Content;
using Skiff.Images.Formats;
using Skiff.Images.References;
using Skiff.Images.Tests.Services;
using Skiff.Images.Transfer;

namespace Skiff.Images.Tests;

/// <summary>Bad registries and bad machines: every failure is one clear error, leaves no visible half-made blob,
/// snapshot or name, and the next pull succeeds.</summary>
[Collection("registry")]
public class FaultTests(RegistryFixture fx)
{
    readonly RegistryFixture _fx = fx;

    /// <summary>Pushes an image with a 6 MiB incompressible layer to the open registry; returns its repository path.</summary>
    static async Task<(LocalImage Image, string Path)> Seed(string name)
    {
        using var a = new Store();
        using var t = new TempDir();
        Busybox.Rootfs(t.Path);
        var noise = new byte[6 << 20];
        new Random(name.GetHashCode()).NextBytes(noise);
        File.WriteAllBytes(Path.Combine(t.Path, "noise"), noise);
        var img = new Importer(a.Images).ImportDirectory(t.Path, "localhost/seed:1");
        var path = $"skiff-test/{name}-{Guid.NewGuid():n}"[..^24];
        await new Pusher(a.Images, a.Client).PushAsync(img, Reference.Parse($"{RegistryFixture.Open}/{path}:v1"), null);
        return (img, path);
    }

    static void AssertNothingVisible(Store s, LocalImage img)
    {
        Assert.Empty(s.Images.Images.List());
        foreach (var l in img.Manifest.Layers.Where(l => l.Size > 1 << 20)) Assert.False(s.Images.Content.Exists(l.ParsedDigest));
        Assert.DoesNotContain(s.Images.Snapshots.List(), x => x.Kind == Snapshots.SnapshotKind.Committed && x.Key == img.ChainIds[^1].ToString());
    }

    static async Task AssertNextPullSucceeds(Store s, LocalImage img, string path)
    {
        var ok = await new Puller(s.Images, s.Client).PullAsync(Reference.Parse($"{RegistryFixture.Open}/{path}:v1"), null, null);
        Assert.Equal(img.Id, ok.Id);
        Assert.Equal(File.ReadAllBytes(Busybox.Binary), s.ReadFile(ok, "bin/busybox"));
    }

    [Fact]
    public async Task A_blob_with_the_wrong_digest_is_rejected()
    {
        var (img, path) = await Seed("corrupt");
        using var proxy = new FaultProxy(FaultProxy.Fault.CorruptBlob);
        using var s = new Store();
        var e = await Assert.ThrowsAnyAsync<Exception>(() => new Puller(s.Images, s.Client).PullAsync(Reference.Parse($"{proxy.Address}/{path}:v1"), null, null));
        Assert.Contains("digest mismatch", e.Message);
        AssertNothingVisible(s, img);
        await AssertNextPullSucceeds(s, img, path);
    }

    [Fact]
    public async Task A_download_that_is_always_cut_short_fails_clearly()
    {
        var (img, path) = await Seed("trunc");
        using var proxy = new FaultProxy(FaultProxy.Fault.TruncateAlways);
        using var s = new Store();
        var e = await Assert.ThrowsAsync<IOException>(() => new Puller(s.Images, s.Client).PullAsync(Reference.Parse($"{proxy.Address}/{path}:v1"), null, null));
        Assert.Contains("download failed after", e.Message);
        AssertNothingVisible(s, img);
        await AssertNextPullSucceeds(s, img, path);
    }

    [Fact]
    public async Task A_connection_dropped_mid_layer_resumes_with_a_range_request()
    {
        var (img, path) = await Seed("drop");
        using var proxy = new FaultProxy(FaultProxy.Fault.DropOnce);
        using var s = new Store();
        var got = await new Puller(s.Images, s.Client).PullAsync(Reference.Parse($"{proxy.Address}/{path}:v1"), null, null);
        Assert.Equal(img.Id, got.Id);
        Assert.Contains(proxy.Ranges, r => r.StartsWith("bytes=", StringComparison.Ordinal) && !r.StartsWith("bytes=0-", StringComparison.Ordinal));
        Assert.Equal(File.ReadAllBytes(Busybox.Binary), s.ReadFile(got, "bin/busybox"));
    }

    [Fact]
    public async Task An_unknown_manifest_media_type_is_refused_by_name()
    {
        var (_, path) = await Seed("unknown");
        using var proxy = new FaultProxy(FaultProxy.Fault.UnknownManifest);
        using var s = new Store();
        var e = await Assert.ThrowsAsync<UnsupportedMediaTypeException>(() => new Puller(s.Images, s.Client).PullAsync(Reference.Parse($"{proxy.Address}/{path}:v1"), null, null));
        Assert.Contains("application/vnd.example.unknown.v1+json", e.Message);
        Assert.Empty(s.Images.Images.List());
    }

    [Fact]
    public async Task A_full_disk_fails_cleanly_and_the_pull_succeeds_once_there_is_room()
    {
        var (img, path) = await Seed("full");
        using var t = new TempDir("tmpfs");
        Linux.Mounts.Mount("tmpfs", t.Path, "tmpfs", 0, "size=4m");
        try
        {
            var images = ImageService.Open(Path.Combine(t.Path, "root"), "copy");
            using var client = new Registry.RegistryClient(new Registry.RegistryOptions { FirstBackoff = TimeSpan.FromMilliseconds(10) });
            var e = await Assert.ThrowsAnyAsync<Exception>(() => new Puller(images, client).PullAsync(Reference.Parse($"{RegistryFixture.Open}/{path}:v1"), null, null));
            Assert.Contains("No space left on device", e.ToString());
            Assert.Empty(images.Images.List());
            foreach (var l in img.Manifest.Layers) Assert.False(images.Content.Exists(l.ParsedDigest));

            Linux.Mounts.Mount(null, t.Path, null, Linux.Mounts.MS_REMOUNT, "size=64m");
            var ok = await new Puller(images, client).PullAsync(Reference.Parse($"{RegistryFixture.Open}/{path}:v1"), null, null);
            Assert.Equal(img.Id, ok.Id);
        }
        finally { Linux.Mounts.Unmount(t.Path, Linux.Mounts.MNT_DETACH); }
    }

    [Theory]
    [InlineData(FaultProxy.Fault.RedirectBlobs)]
    [InlineData(FaultProxy.Fault.Flaky503)]
    public async Task Redirects_are_followed_and_server_errors_retried(FaultProxy.Fault mode)
    {
        var (img, path) = await Seed("redir");
        using var proxy = new FaultProxy(mode);
        using var s = new Store();
        var got = await new Puller(s.Images, s.Client).PullAsync(Reference.Parse($"{proxy.Address}/{path}:v1"), null, null);
        Assert.Equal(img.Id, got.Id);
        if (mode == FaultProxy.Fault.RedirectBlobs) Assert.Contains("redirected", proxy.Ranges);
    }
}
