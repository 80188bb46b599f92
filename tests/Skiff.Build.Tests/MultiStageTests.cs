using Skiff.Build.Execution;
using Skiff.Build.Tests.Fixtures;

namespace Skiff.Build.Tests;

/// <summary>Stages as a graph: --target, skipped stages, COPY --from a stage/index/image, ARG scoping across FROM.</summary>
public sealed class MultiStageTests : IClassFixture<BuildEnv>
{
    readonly BuildEnv env;
    public MultiStageTests(BuildEnv env) => this.env = env;

    const string Df = $"""
        ARG BASE={Busybox.Name}
        ARG GLOBAL=global-value
        FROM $BASE AS builder
        ARG GLOBAL
        RUN echo "built with $GLOBAL" > /artifact && chown 1000:1000 /artifact

        FROM $BASE AS broken
        RUN echo this stage must not run && exit 7

        FROM $BASE AS other
        RUN echo other > /other-artifact

        FROM $BASE
        RUN echo "GLOBAL is '$GLOBAL'" > /scope
        COPY --from=builder /artifact /from-name
        COPY --from=2 /other-artifact /from-index
        COPY --from={Busybox.Name} /etc/base-marker /from-image
        """;

    [Fact]
    public async Task FinalStageUsesOthersAndSkipsUnused()
    {
        var (r, p) = await env.Build(Df);
        Assert.DoesNotContain(p.Text.Values, t => t.Contains("this stage must not run"));
        var (code, o) = env.Run(r.Image, "/bin/sh", "-c", "cat /scope /from-name /from-index /from-image; stat -c %u /from-name");
        Assert.Equal(0, code);
        Assert.Equal("GLOBAL is ''\nbuilt with global-value\nother\nfrom the base\n1000\n", o);
    }

    [Fact]
    public async Task TargetBuildsOnlyWhatItNeeds()
    {
        var (r, p) = await env.Build(Df, options: new BuildOptions { DockerfileText = "", Target = "builder", BuildArgs = new Dictionary<string, string> { ["GLOBAL"] = "from-cli" } });
        Assert.DoesNotContain(p.Text.Values, t => t.Contains("other-artifact"));
        var (_, o) = env.Run(r.Image, "/bin/cat", "/artifact");
        Assert.Equal("built with from-cli\n", o);
        var e = await Assert.ThrowsAnyAsync<Exception>(() => env.Build(Df, options: new BuildOptions { DockerfileText = "", Target = "nosuch" }));
        Assert.Contains("nosuch", e.Message);
        var e2 = await Assert.ThrowsAsync<BuildException>(() => env.Build(Df, options: new BuildOptions { DockerfileText = "", Target = "broken" }));
        Assert.Contains("exit code: 7", e2.Message);
    }

    [Fact]
    public async Task EnvOverridesArgAndArgScopeEndsWithTheStage()
    {
        var df = $"""
            FROM {Busybox.Name} AS one
            ARG X=from-arg
            ENV X=from-env
            RUN echo $X > /x
            ARG Y=arg-y
            RUN echo "$Y" > /y
            FROM one
            RUN echo "[$Y]" > /y2 && cat /x >> /y2
            """;
        var (r, _) = await env.Build(df);
        var (_, o) = env.Run(r.Image, "/bin/cat", "/x", "/y", "/y2");
        Assert.Equal("from-env\narg-y\n[]\nfrom-env\n", o);
        Assert.DoesNotContain(r.Image.Config.Config!.Env!, e => e.StartsWith("Y=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task IndependentStagesRunConcurrently()
    {
        // two stages each wait for the other's marker in a shared cache mount: only a concurrent build finishes
        var id = Guid.NewGuid().ToString("n")[..8];
        var df = $"""
            FROM {Busybox.Name} AS a
            RUN --mount=type=cache,id=rendezvous-{id},target=/r touch /r/a && for i in $(seq 1 200); do [ -e /r/b ] && exit 0; sleep 0.1; done; exit 1
            FROM {Busybox.Name} AS b
            RUN --mount=type=cache,id=rendezvous-{id},target=/r touch /r/b && for i in $(seq 1 200); do [ -e /r/a ] && exit 0; sleep 0.1; done; exit 1
            FROM {Busybox.Name}
            COPY --from=a /etc/base-marker /a
            COPY --from=b /etc/base-marker /b
            """;
        var (r, _) = await env.Build(df);
        Assert.Equal(0, env.Run(r.Image, "/bin/cat", "/a", "/b").Exit);
    }
}
