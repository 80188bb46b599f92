using Skiff.Images.Formats;
using Skiff.Images.Layers;
using Skiff.Images.References;
using Skiff.Images.Tests.Services;
using Skiff.Images.Transfer;

namespace Skiff.Images.Tests;

/// <summary>A three-layer image (gzip, zstd, uncompressed) with whiteouts, an opaque directory and a hardlink to a file
/// of a lower layer goes through a registry and unpacks to the right tree with either snapshotter.</summary>
[Collection("registry")]
public class MultiLayerPullTests(RegistryFixture fx)
{
    readonly RegistryFixture _fx = fx;

    [Theory]
    [InlineData("overlayfs")]
    [InlineData("copy")]
    public async Task Whiteouts_opaque_dirs_and_cross_layer_hardlinks_survive_push_and_pull(string snapshotter)
    {
        using var a = new Store();
        var layers = new List<ImageWriter.NewLayer>();
        void Add(LayerBuilder b, Compression c)
        {
            var tar = b.Build();
            var r = LayerCompressor.Store(a.Images.Content, a.Images.TempDir, s => s.Write(tar), c);
            layers.Add(new ImageWriter.NewLayer(r.Blob, r.DiffId));
        }
        Add(new LayerBuilder().File("bin/tool", "TOOL", mode: 0x1ed).File("gone", "g").File("d/old", "o").File("keep", "k"), Compression.Gzip);
        Add(new LayerBuilder().Whiteout("gone").Opaque("d").File("d/new", "n").Hardlink("bin/alias", "bin/tool"), Compression.Zstd);
        Add(new LayerBuilder().Symlink("link", "keep").File("keep", "k2"), Compression.None);
        var img = new ImageWriter(a.Images).Create(layers, name: "localhost/multi:1");
        Assert.Equal(MediaTypes.OciLayerZstd, img.Manifest.Layers[1].MediaType);
        var dest = Reference.Parse($"{RegistryFixture.Open}/skiff-test/multi-{Guid.NewGuid():n}"[..^24] + ":v1");
        await new Pusher(a.Images, a.Client).PushAsync(img, dest, null);

        using var b = new Store(snapshotter: snapshotter);
        var pulled = await new Puller(b.Images, b.Client).PullAsync(dest, null, null);
        Assert.Equal(img.Id, pulled.Id);
        string Read(string p) => System.Text.Encoding.UTF8.GetString(b.ReadFile(pulled, p));
        Assert.Equal("TOOL", Read("bin/alias"));
        Assert.Equal("TOOL", Read("bin/tool"));
        Assert.Equal("n", Read("d/new"));
        Assert.ThrowsAny<IOException>(() => b.ReadFile(pulled, "d/old"));
        Assert.ThrowsAny<IOException>(() => b.ReadFile(pulled, "gone"));
        Assert.Equal("k2", Read("link"));
        Assert.Equal(3, b.Images.Snapshots.List().Count);
    }

    [Fact]
    public void Import_accepts_a_gzipped_rootfs_tarball_from_gnu_tar()
    {
        using var t = new TempDir("imp");
        Busybox.Rootfs(t.Sub("rootfs"), "tarball");
        var tgz = Path.Combine(t.Path, "rootfs.tar.gz");
        TarTests.Run("tar", $"-C {t.Path}/rootfs -czf {tgz} .");
        using var s = new Store();
        LocalImage img;
        using (var f = File.OpenRead(tgz)) img = new Importer(s.Images).ImportTarball(f, "docker.io/localhost/tarball:1");
        Assert.Equal("tarball", System.Text.Encoding.UTF8.GetString(s.ReadFile(img, "etc/marker")));
        Assert.Equal(File.ReadAllBytes(Busybox.Binary), s.ReadFile(img, "bin/sh"));
    }
}
