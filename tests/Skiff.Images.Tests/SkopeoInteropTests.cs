using System.Text.Json;
using Skiff.Images.Archive;
using Skiff.Images.References;
using Skiff.Images.Tests.Services;
using Skiff.Images.Transfer;

namespace Skiff.Images.Tests;

/// <summary>Interop both ways with skopeo: registries, OCI layouts (oci:) and docker archives (docker-archive:).</summary>
[Collection("registry")]
public class SkopeoInteropTests(RegistryFixture fx)
{
    readonly RegistryFixture _fx = fx;

    static Reference Repo(string name) => Reference.Parse($"{RegistryFixture.Open}/skiff-test/{name}-{Guid.NewGuid():n}"[..^24] + ":v1");
    static string Skopeo(string args) => TarTests.Run("skopeo", args);
    static string SkopeoDigest(string image) => JsonDocument.Parse(Skopeo($"inspect --tls-verify=false {image}")).RootElement.GetProperty("Digest").GetString()!;

    [Fact]
    public async Task Skiff_pushes_and_skopeo_reads_the_same_digest_then_skopeo_pushes_and_skiff_pulls()
    {
        using var a = new Store();
        var img = Busybox.Import(a.Images, "localhost/src:1", "interop");
        var dest = Repo("skopeo");
        var pushed = await new Pusher(a.Images, a.Client).PushAsync(img, dest, null);
        Assert.Equal(pushed.ToString(), SkopeoDigest($"docker://{dest}"));

        var copy = Repo("skopeo-copy");
        Skopeo($"copy --src-tls-verify=false --dest-tls-verify=false docker://{dest} docker://{copy}");
        using var b = new Store();
        var pulled = await new Puller(b.Images, b.Client).PullAsync(copy, null, null);
        Assert.Equal(SkopeoDigest($"docker://{copy}"), pulled.ManifestDescriptor.Digest);
        Assert.Equal(img.Id, pulled.Id);
        Assert.Equal("interop", System.Text.Encoding.UTF8.GetString(b.ReadFile(pulled, "etc/marker")));
    }

    [Fact]
    public async Task Skiff_oci_layout_is_read_by_skopeo_and_skopeo_oci_layout_is_loaded_by_skiff()
    {
        using var a = new Store();
        using var t = new TempDir();
        var img = Busybox.Import(a.Images, "localhost/oci:v1", "oci");
        var dir = Path.Combine(t.Path, "layout");
        OciLayoutWriter.Write(a.Images, [(img, "docker.io/localhost/oci:v1")], dir);
        var dest = Repo("from-oci");
        Skopeo($"copy --dest-tls-verify=false oci:{dir}:v1 docker://{dest}");
        Assert.Equal(img.ManifestDescriptor.Digest, SkopeoDigest($"docker://{dest}"));

        var dir2 = Path.Combine(t.Path, "layout2");
        Skopeo($"copy --src-tls-verify=false docker://{dest} oci:{dir2}:tagged");
        using var b = new Store();
        var loaded = new ArchiveLoader(b.Images).Load(dir2);
        Assert.Single(loaded);
        Assert.Equal(img.Id, loaded[0].Image.Id);
        Assert.Equal("oci", System.Text.Encoding.UTF8.GetString(b.ReadFile(loaded[0].Image, "etc/marker")));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Skiff_docker_archive_is_read_by_skopeo_and_skopeo_docker_archive_is_loaded_by_skiff()
    {
        using var a = new Store();
        using var t = new TempDir();
        var img = Busybox.Import(a.Images, "localhost/darch:v1", "darch");
        var tar = Path.Combine(t.Path, "img.tar");
        using (var f = File.Create(tar)) DockerArchiveWriter.Write(a.Images, [(img, img.Record!.Name)], f);
        var inspect = JsonDocument.Parse(Skopeo($"inspect docker-archive:{tar}")).RootElement;
        Assert.Equal(img.Config.RootFs.DiffIds, inspect.GetProperty("Layers").EnumerateArray().Select(e => e.GetString()));
        var configDigest = JsonDocument.Parse(Skopeo($"inspect --raw docker-archive:{tar}")).RootElement.GetProperty("config").GetProperty("digest").GetString();
        Assert.Equal(img.Id.ToString(), configDigest);

        // skopeo writes an archive from the registry copy; skiff loads it back to the same image ID
        var dest = Repo("darch");
        await new Pusher(a.Images, a.Client).PushAsync(img, dest, null);
        var tar2 = Path.Combine(t.Path, "from-skopeo.tar");
        Skopeo($"copy --src-tls-verify=false docker://{dest} docker-archive:{tar2}:localhost/loaded:v2");
        using var b = new Store();
        var loaded = new ArchiveLoader(b.Images).Load(tar2);
        Assert.Equal(img.Id, loaded.Single().Image.Id);
        Assert.NotNull(b.Images.TryResolve("localhost/loaded:v2"));
        Assert.Equal("darch", System.Text.Encoding.UTF8.GetString(b.ReadFile(loaded[0].Image, "etc/marker")));

        // and skiff's own archive loads into another store
        using var c = new Store();
        var again = new ArchiveLoader(c.Images).Load(tar);
        Assert.Equal(img.Id, again.Single().Image.Id);
        Assert.NotNull(c.Images.TryResolve("localhost/darch:v1"));
    }
}
