using Skiff.Build.Cache;
using Skiff.Build.Execution;
using Skiff.Build.Tests.Fixtures;

namespace Skiff.Build.Tests;

/// <summary>The layer cache: hits across builds and processes, keys that change only with what a step really uses.</summary>
public sealed class CacheTests : IClassFixture<BuildEnv>
{
    readonly BuildEnv env;
    public CacheTests(BuildEnv env) => this.env = env;

    static string Df(string tag) => $"""
        FROM {Busybox.Name}
        RUN echo {tag} > /first
        COPY a.txt /a.txt
        RUN cat /a.txt > /derived
        COPY b.txt /b.txt
        RUN echo last > /last
        """;

    [Fact]
    public async Task NoChangeRebuildIsAllCachedAndGivesTheSameImage()
    {
        var ctx = env.Context(("a.txt", "a\n"), ("b.txt", "b\n"), ("ignored.txt", "i\n"), (".dockerignore", "ignored.txt\n"));
        var (r1, p1) = await env.Build(Df("nochange"), ctx);
        Assert.Equal(5, p1.RanTexts.Count(t => !t.StartsWith("FROM", StringComparison.Ordinal)));
        var (r2, p2) = await env.Build(Df("nochange"), ctx);
        Assert.Equal(5, p2.CachedSteps.Count);
        Assert.Equal(r1.Image.Id, r2.Image.Id);
        // an ignored file changes: still all cached
        File.WriteAllText(Path.Combine(ctx, "ignored.txt"), "changed\n");
        File.WriteAllText(Path.Combine(ctx, "unrelated.txt"), "new file nobody copies\n");
        var (r3, p3) = await env.Build(Df("nochange"), ctx);
        Assert.Equal(5, p3.CachedSteps.Count);
        Assert.Equal(r1.Image.Id, r3.Image.Id);
        // touching a copied file without changing it (mtime only): still cached
        File.SetLastWriteTimeUtc(Path.Combine(ctx, "a.txt"), DateTime.UtcNow.AddMinutes(5));
        var (_, p4) = await env.Build(Df("nochange"), ctx);
        Assert.Equal(5, p4.CachedSteps.Count);
    }

    [Fact]
    public async Task ChangingOneFileRerunsFromTheCopyThatTakesIt()
    {
        var ctx = env.Context(("a.txt", "a\n"), ("b.txt", "b\n"));
        await env.Build(Df("onefile"), ctx);
        File.WriteAllText(Path.Combine(ctx, "b.txt"), "b changed\n");
        var (r, p) = await env.Build(Df("onefile"), ctx);
        Assert.Equal(["RUN echo onefile > /first", "COPY a.txt /a.txt", "RUN cat /a.txt > /derived"], p.CachedTexts);
        Assert.Equal(["COPY b.txt /b.txt", "RUN echo last > /last"], p.RanTexts.Where(t => !t.StartsWith("FROM", StringComparison.Ordinal)));
        Assert.Equal("b changed\n", env.Run(r.Image, "/bin/cat", "/b.txt").Output);
        File.WriteAllText(Path.Combine(ctx, "a.txt"), "a changed\n");
        var (r2, p2) = await env.Build(Df("onefile"), ctx);
        Assert.Equal(["RUN echo onefile > /first"], p2.CachedTexts);
        Assert.Equal("a changed\n", env.Run(r2.Image, "/bin/cat", "/derived").Output);
        // a mode change is a change too
        File.SetUnixFileMode(Path.Combine(ctx, "a.txt"), (UnixFileMode)0x1ed);
        var (_, p3) = await env.Build(Df("onefile"), ctx);
        Assert.Equal(["RUN echo onefile > /first"], p3.CachedTexts);
    }

    [Fact]
    public async Task BuildArgsInvalidateOnlyStepsThatSeeThem()
    {
        var df = $"""
            FROM {Busybox.Name}
            COPY a.txt /a
            ARG VERSION=1
            COPY a.txt /b
            RUN echo $VERSION > /v
            ENV FIXED=x
            COPY a.txt /c
            """;
        var ctx = env.Context(("a.txt", "a\n"));
        await env.Build(df, ctx);
        var (r, p) = await env.Build(df, ctx, new BuildOptions { DockerfileText = "", BuildArgs = new Dictionary<string, string> { ["VERSION"] = "2" } });
        Assert.Equal(["COPY a.txt /a", "COPY a.txt /b"], p.CachedTexts);
        Assert.Equal("2\n", env.Run(r.Image, "/bin/cat", "/v").Output);
        // an arg the Dockerfile does not declare changes nothing
        var (_, p2) = await env.Build(df, ctx, new BuildOptions { DockerfileText = "", BuildArgs = new Dictionary<string, string> { ["UNUSED"] = "z" } });
        Assert.Equal(4, p2.CachedSteps.Count);
    }

    [Fact]
    public async Task NoCacheRunsEverythingAndCacheSurvivesANewSession()
    {
        var ctx = env.Context(("a.txt", "a\n"), ("b.txt", "b\n"));
        await env.Build(Df("nocache"), ctx);
        var (_, p) = await env.Build(Df("nocache"), ctx, new BuildOptions { DockerfileText = "", NoCache = true });
        Assert.Empty(p.CachedSteps);
        // a fresh ImageService on the same root (a new process would see the same): still cached
        var fresh = Images.ImageService.Open(env.Root);
        var rec = new BuildEnv.Recorder([]);
        await new Builder(fresh, new BuildOptions { DockerfileText = Df("nocache"), ContextDir = ctx }, rec).BuildAsync();
        Assert.Equal(5, rec.CachedSteps.Count);
    }

    [Fact]
    public async Task PruneRemovesRecordsAndUnreferencedLayers()
    {
        var ctx = env.Context(("a.txt", "prune\n"), ("b.txt", "b\n"));
        var (r, _) = await env.Build(Df("prune-" + Guid.NewGuid().ToString("n")[..6]), ctx);
        var cache = new CacheStore(env.Images);
        Assert.NotEmpty(cache.List());
        var res = CachePrune.Run(env.Images, all: true);
        Assert.True(res.Records >= 5);
        Assert.Empty(cache.List());
        Assert.True(res.Gc.BlobsRemoved >= 5);
        // the image itself was not tagged: its layers were only held by the cache; rebuilding works and runs everything
        var (r2, p2) = await env.Build(Df("prune-again"), ctx);
        Assert.Empty(p2.CachedSteps);
        Assert.Equal(0, env.Run(r2.Image, "/bin/cat", "/last").Exit);
    }
}
