using Skiff.Images.References;
using Skiff.Images.Tests.Services;
using Skiff.Images.Transfer;

namespace Skiff.Images.Tests;

/// <summary>kill -9 of `skiff pull` at several moments: the store stays usable, the next pull completes (reusing what
/// was downloaded), and GC leaves no debris.</summary>
[Collection("registry")]
public class KillTests(RegistryFixture fx)
{
    readonly RegistryFixture _fx = fx;

    static async Task<(LocalImage, string)> SeedMultiLayer()
    {
        using var a = new Store();
        using var t = new TempDir();
        var layers = new List<ImageWriter.NewLayer>();
        for (int i = 0; i < 3; i++)
        {
            var d = t.Sub("l" + i);
            if (i == 0) Busybox.Rootfs(d);
            var noise = new byte[(i + 1) * (4 << 20)];
            new Random(i).NextBytes(noise);
            File.WriteAllBytes(Path.Combine(d, $"noise{i}"), noise);
            var r = Layers.LayerCompressor.Store(a.Images.Content, a.Images.TempDir, s => Layers.LayerWriter.WriteTree(d, s));
            layers.Add(new ImageWriter.NewLayer(r.Blob, r.DiffId));
        }
        var img = new ImageWriter(a.Images).Create(layers, name: "localhost/multi:1");
        var path = $"skiff-test/kill-{Guid.NewGuid():n}"[..^24];
        await new Pusher(a.Images, a.Client).PushAsync(img, Reference.Parse($"{RegistryFixture.Open}/{path}:v1"), null);
        return (img, path);
    }

    static bool Any(string dir, string pattern) => Directory.Exists(dir) && Directory.EnumerateFiles(dir, pattern, SearchOption.AllDirectories).Any(f => new FileInfo(f).Length > 0);

    [Fact]
    public async Task Killing_a_pull_at_any_stage_leaves_a_usable_store()
    {
        var (img, path) = await SeedMultiLayer();
        using var proxy = new FaultProxy(FaultProxy.Fault.Slow);
        using var t = new TempDir("kill");
        var root = t.Sub("root");
        var name = $"{proxy.Address}/{path}:v1";
        // stages: partial download present; a first blob complete; a snapshot being unpacked or committed
        Func<bool>[] stages =
        [
            () => Any(Path.Combine(root, "content", "ingest"), "*.data"),
            () => Any(Path.Combine(root, "content", "blobs"), "*"),
            () => Directory.Exists(Path.Combine(root, "snapshots")) && Directory.EnumerateFiles(Path.Combine(root, "snapshots"), "info.json", SearchOption.AllDirectories).Count() >= 2,
        ];
        int killed = 0;
        foreach (var reached in stages)
        {
            using var p = SkiffCli.Start(root, null, "pull", name);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!p.HasExited && !reached() && DateTime.UtcNow < deadline) await Task.Delay(5);
            if (!p.HasExited) { p.Kill(); killed++; }
            p.WaitForExit();
        }
        Assert.True(killed > 0, "no pull was still running when its stage was reached");

        var images = ImageService.Open(root);
        using var client = new Registry.RegistryClient(new Registry.RegistryOptions());
        var pulled = await new Puller(images, client).PullAsync(Reference.Parse($"{RegistryFixture.Open}/{path}:v1"), null, null);
        Assert.Equal(img.Id, pulled.Id);
        using var s = new Store();
        Gc.GarbageCollector.Collect(images);
        Assert.Equal(3, images.Snapshots.List().Count);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(root, "content", "ingest"), "*.data"));
        Assert.Equal(5, images.Content.List().Count()); // manifest, config, 3 layers
    }
}
