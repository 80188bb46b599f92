using Skiff.Build.Execution;
using Skiff.Build.Tests.Fixtures;

namespace Skiff.Build.Tests;

/// <summary>RUN --mount (cache, bind, tmpfs, secret) and --network.</summary>
public sealed class RunMountTests : IClassFixture<BuildEnv>
{
    readonly BuildEnv env;
    public RunMountTests(BuildEnv env) => this.env = env;

    [Fact]
    public async Task CacheMountPersistsAcrossBuildsAndStaysOutOfTheImage()
    {
        var id = Guid.NewGuid().ToString("n")[..8];
        string Df(int n) => $"FROM {Busybox.Name}\nRUN --mount=type=cache,target=/var/cache/x,id={id} echo run{n} >> /var/cache/x/log && cat /var/cache/x/log > /seen\n";
        await env.Build(Df(1));
        var (r, _) = await env.Build(Df(2));
        var (_, o) = env.Run(r.Image, "/bin/sh", "-c", "cat /seen; ls /var/cache/x 2>&1 | head -1");
        Assert.StartsWith("run1\nrun2\n", o);
        Assert.Contains("No such file", o);
    }

    [Fact]
    public async Task BindFromContextAndStageIsReadOnlyAndInTheKey()
    {
        var ctx = env.Context(("conf/value", "v1\n"));
        var df = $"""
            FROM {Busybox.Name} AS tools
            RUN echo tool > /tool
            FROM {Busybox.Name}
            RUN --mount=type=bind,source=conf,target=/mnt/conf --mount=type=bind,from=tools,source=/tool,target=/mnt/tool cat /mnt/conf/value /mnt/tool > /out && (touch /mnt/conf/new 2>/dev/null && echo writable || echo readonly) >> /out
            """;
        var (r, _) = await env.Build(df, ctx);
        Assert.Equal("v1\ntool\nreadonly\n", env.Run(r.Image, "/bin/cat", "/out").Output);
        var (_, p) = await env.Build(df, ctx);
        Assert.Contains(p.CachedTexts, t => t.StartsWith("RUN --mount", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(ctx, "conf/value"), "v2\n");
        var (r3, p3) = await env.Build(df, ctx);
        Assert.DoesNotContain(p3.CachedTexts, t => t.StartsWith("RUN --mount", StringComparison.Ordinal));
        Assert.StartsWith("v2\n", env.Run(r3.Image, "/bin/cat", "/out").Output);
    }

    [Fact]
    public async Task SecretIsReadableButNeverStored()
    {
        var secret = Path.Combine(env.Root, "token-" + Guid.NewGuid().ToString("n")[..6]);
        File.WriteAllText(secret, "s3cr3t-value");
        var df = $"FROM {Busybox.Name}\nRUN --mount=type=secret,id=token cat /run/secrets/token | wc -c > /len && ls /run/secrets > /listing\nRUN --mount=type=secret,id=token,env=TOKEN echo ${{#TOKEN}} > /envlen\n";
        var (r, _) = await env.Build(df, options: new BuildOptions { DockerfileText = "", Secrets = new Dictionary<string, string> { ["token"] = secret } });
        var (_, o) = env.Run(r.Image, "/bin/sh", "-c", "cat /len /listing /envlen; ls /run/secrets 2>&1 || true");
        Assert.StartsWith("12\ntoken\n12\n", o);
        foreach (var l in r.Image.Manifest.Layers)
        {
            using var blob = env.Images.Content.OpenRead(l.ParsedDigest);
            using var plain = Images.Layers.Decompression.Open(blob, Images.Formats.MediaTypes.LayerCompression(l.MediaType));
            using var ms = new MemoryStream();
            plain.CopyTo(ms);
            Assert.DoesNotContain("s3cr3t", System.Text.Encoding.Latin1.GetString(ms.ToArray()));
        }
        var e = await Assert.ThrowsAsync<BuildException>(() => env.Build($"FROM {Busybox.Name}\nRUN --mount=type=secret,id=missing,required cat /run/secrets/missing\n"));
        Assert.Contains("missing", e.Message);
    }

    [Fact]
    public async Task TmpfsAndNetworkModes()
    {
        var df = $"""
            FROM {Busybox.Name}
            RUN --mount=type=tmpfs,target=/scratch echo x > /scratch/f && grep -q ' /scratch tmpfs' /proc/mounts && echo tmpfs-ok > /t
            RUN --network=none ip link 2>/dev/null | grep -c ': ' > /links || cat /proc/net/dev | tail -n +3 | wc -l > /links
            RUN --network=host cat /proc/net/dev | tail -n +3 | wc -l > /hostlinks
            """;
        var (r, _) = await env.Build(df);
        var (_, o) = env.Run(r.Image, "/bin/cat", "/t", "/links", "/hostlinks");
        var lines = o.Split('\n');
        Assert.Equal("tmpfs-ok", lines[0]);
        Assert.Equal("1", lines[1].Trim());
        Assert.True(int.Parse(lines[2].Trim()) > 1, o);
    }
}
