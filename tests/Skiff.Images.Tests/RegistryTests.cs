using Skiff.Images.Formats;
using Skiff.Images.References;
using Skiff.Images.Registry;
using Skiff.Images.Tests.Services;
using Skiff.Images.Transfer;

namespace Skiff.Images.Tests;

[Collection("registry")]
public class RegistryTests(RegistryFixture fx)
{
    static Reference Repo(string registry, string name) => Reference.Parse($"{registry}/skiff-test/{name}-{Guid.NewGuid():n}"[..^24] + ":v1");

    static async Task<(LocalImage Pushed, LocalImage Pulled, Store Puller)> RoundTrip(string registry, Credentials? creds, string marker)
    {
        using var a = new Store(creds);
        var img = Busybox.Import(a.Images, "localhost/src:1", marker);
        var dest = Repo(registry, "rt");
        await new Pusher(a.Images, a.Client).PushAsync(img, dest, null);
        var b = new Store(creds);
        var pulled = await new Puller(b.Images, b.Client).PullAsync(dest, null, null);
        return (img, pulled, b);
    }

    [Fact]
    public async Task Push_then_pull_through_an_open_registry_gives_the_same_image_and_files()
    {
        var (pushed, pulled, b) = await RoundTrip(RegistryFixture.Open, null, "open\n");
        using (b)
        {
            Assert.Equal(pushed.Id, pulled.Id);
            Assert.Equal(pushed.ManifestDescriptor.Digest, pulled.ManifestDescriptor.Digest);
            Assert.Equal("open\n", System.Text.Encoding.UTF8.GetString(b.ReadFile(pulled, "etc/marker")));
            Assert.Equal(File.ReadAllBytes(Busybox.Binary), b.ReadFile(pulled, "bin/busybox"));
        }
    }

    [Fact]
    public async Task Basic_auth_registry_refuses_anonymous_and_accepts_credentials()
    {
        using var anon = new Store();
        var img = Busybox.Import(anon.Images, "localhost/src:1");
        var e = await Assert.ThrowsAsync<RegistryException>(() => new Pusher(anon.Images, anon.Client).PushAsync(img, Repo(RegistryFixture.Basic, "basic"), null));
        Assert.Contains("unauthorized", e.Message);
        var (pushed, pulled, b) = await RoundTrip(RegistryFixture.Basic, Store.Skiff, "basic\n");
        using (b) Assert.Equal(pushed.Id, pulled.Id);
    }

    [Fact]
    public async Task Token_auth_registry_works_through_the_issuer_with_scopes()
    {
        using var anon = new Store();
        var img = Busybox.Import(anon.Images, "localhost/src:1");
        await Assert.ThrowsAsync<RegistryException>(() => new Pusher(anon.Images, anon.Client).PushAsync(img, Repo(RegistryFixture.Token, "tok"), null));
        var (pushed, pulled, b) = await RoundTrip(RegistryFixture.Token, Store.Skiff, "token\n");
        using (b) Assert.Equal(pushed.Id, pulled.Id);
        lock (fx.Issuer.Scopes)
        {
            Assert.Contains(fx.Issuer.Scopes, s => s.StartsWith("repository:skiff-test/rt", StringComparison.Ordinal) && s.EndsWith(":pull,push", StringComparison.Ordinal));
            Assert.Contains(fx.Issuer.Scopes, s => s.StartsWith("repository:skiff-test/rt", StringComparison.Ordinal) && s.EndsWith(":pull", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Missing_tags_and_repositories_are_reported_as_not_found()
    {
        using var s = new Store();
        var e = await Assert.ThrowsAsync<RegistryException>(() => new Puller(s.Images, s.Client).PullAsync(Repo(RegistryFixture.Open, "missing"), null, null));
        Assert.True(e.NotFound);
        Assert.Contains("not found", e.Message);
        Assert.Empty(s.Images.Images.List());
    }

    [Fact]
    public async Task Pull_by_digest_and_pull_of_an_index_choose_the_platform()
    {
        using var a = new Store();
        var img = Busybox.Import(a.Images, "localhost/src:1");
        var dest = Repo(RegistryFixture.Open, "idx");
        // an index with the image for this host and a fake entry for another platform
        var other = img.ManifestDescriptor with { Platform = new Platform { Os = "linux", Architecture = "s390x" } };
        var index = new Formats.Index
        {
            MediaType = MediaTypes.OciIndex,
            Manifests = [img.ManifestDescriptor with { Platform = Platform.Host }, other],
        };
        var bytes = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(index, WireJson.Default.Index);
        var idxDigest = a.Images.Content.Put(bytes);
        var idxDesc = new Descriptor { MediaType = MediaTypes.OciIndex, Digest = idxDigest.ToString(), Size = bytes.Length };
        a.Images.Images.Set(dest.ToString(), idxDesc);
        var pushedDigest = await new Pusher(a.Images, a.Client).PushAsync(a.Images.Resolve(dest.ToString()), dest, null);
        Assert.Equal(idxDigest, pushedDigest);

        using var b = new Store();
        var pulled = await new Puller(b.Images, b.Client).PullAsync(dest, null, null);
        Assert.Equal(img.ManifestDescriptor.Digest, pulled.ManifestDescriptor.Digest);
        await Assert.ThrowsAsync<NoMatchingPlatformException>(() => new Puller(b.Images, b.Client).PullAsync(dest, Platform.Parse("linux/riscv64"), null));

        using var c = new Store();
        var byDigest = await new Puller(c.Images, c.Client).PullAsync(dest.WithDigest(img.ManifestDescriptor.Digest), null, null);
        Assert.Equal(img.Id, byDigest.Id);
        Assert.NotNull(c.Images.TryResolve($"{dest.Repository}@{img.ManifestDescriptor.Digest}"));
    }

    [Fact]
    public async Task Pushing_to_a_second_repository_mounts_blobs_instead_of_uploading()
    {
        using var a = new Store();
        var img = Busybox.Import(a.Images, "localhost/src:1");
        var first = Repo(RegistryFixture.Open, "mount-a");
        await new Pusher(a.Images, a.Client).PushAsync(img, first, null);
        var events = new List<TransferProgress>();
        var second = Repo(RegistryFixture.Open, "mount-b");
        await new Pusher(a.Images, a.Client).PushAsync(img, second, new Collect(events));
        Assert.Contains(events, e => e.Phase == TransferPhase.Mounted);
        Assert.DoesNotContain(events, e => e.Phase == TransferPhase.Uploading);
        var again = new List<TransferProgress>();
        await new Pusher(a.Images, a.Client).PushAsync(img, second, new Collect(again));
        Assert.Contains(again, e => e.Phase == TransferPhase.Exists);
    }

    [Fact]
    public async Task Large_blobs_are_uploaded_in_chunks()
    {
        using var a = new Store();
        using var t = new TempDir();
        Busybox.Rootfs(t.Path);
        var client = new RegistryClient(new RegistryOptions { UploadChunkSize = 256 << 10 });
        var img = new Importer(a.Images).ImportDirectory(t.Path, "localhost/big:1");
        Assert.True(img.Manifest.Layers[0].Size > 256 << 10);
        var dest = Repo(RegistryFixture.Open, "chunks");
        await new Pusher(a.Images, client).PushAsync(img, dest, null);
        using var b = new Store();
        Assert.Equal(img.Id, (await new Puller(b.Images, b.Client).PullAsync(dest, null, null)).Id);
    }

    [Fact]
    public async Task Concurrent_pulls_of_one_image_into_one_store_both_succeed()
    {
        using var a = new Store();
        var img = Busybox.Import(a.Images, "localhost/src:1", "concurrent");
        var dest = Repo(RegistryFixture.Open, "conc");
        await new Pusher(a.Images, a.Client).PushAsync(img, dest, null);
        using var b = new Store();
        var pulls = Enumerable.Range(0, 4).Select(_ => Task.Run(() => new Puller(b.Images, b.Client).PullAsync(dest, null, null)));
        var results = await Task.WhenAll(pulls);
        Assert.All(results, r => Assert.Equal(img.Id, r.Id));
        Assert.Single(b.Images.Snapshots.List());
    }

    sealed class Collect(List<TransferProgress> list) : IProgress<TransferProgress>
    {
        public void Report(TransferProgress value) { lock (list) list.Add(value); }
    }
}

[Collection("registry")]
public class TlsTests(RegistryFixture fx)
{
    readonly RegistryFixture _fx = fx;

    [Fact]
    public async Task Https_registries_are_verified_against_system_trust_unless_insecure()
    {
        var dest = Reference.Parse($"{RegistryFixture.Tls}/skiff-test/tls-{Guid.NewGuid():n}"[..^24] + ":v1");
        using var a = new Store(); // loopback counts as insecure: HTTPS without verification
        var img = Busybox.Import(a.Images, "localhost/src:1", "tls");
        await new Pusher(a.Images, a.Client).PushAsync(img, dest, null);
        Assert.Equal("https", (await a.Client.EndpointAsync(RegistryFixture.Tls, default)).Scheme);

        using var strict = new RegistryClient(new RegistryOptions { LoopbackIsInsecure = false, MaxAttempts = 1 });
        using var b = new Store();
        var e = await Assert.ThrowsAnyAsync<HttpRequestException>(() => new Puller(b.Images, strict).PullAsync(dest, null, null));
        Assert.Contains("SSL", e.ToString());

        using var insecure = new RegistryClient(new RegistryOptions { LoopbackIsInsecure = false, Insecure = true });
        Assert.Equal(img.Id, (await new Puller(b.Images, insecure).PullAsync(dest, null, null)).Id);
    }
}
