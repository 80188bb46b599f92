using Skiff.Build.Syntax;

namespace Skiff.Build.Tests.Syntax;

/// <summary>ARG/ENV scoping as docker: the reference's examples and the corners between global and stage scope.</summary>
public class StageScopeTests
{
    private static readonly PlatformArgs Amd64 = new("linux", "amd64", "", "linux", "amd64", "");

    /// <summary>Runs the ARG/ENV instructions of the target stage (and of the stages it is built FROM) and returns the scope.</summary>
    private static StageScope Scope(string text, Dictionary<string, string>? args = null, string[]? imageEnv = null)
    {
        var plan = BuildPlanner.Plan(DockerfileParser.Parse(text, "Dockerfile"), new BuildOptions { BuildArgs = args ?? [], Platforms = Amd64 });
        var scopes = new Dictionary<int, StageScope>();
        foreach (var st in plan.Needed)
        {
            var scope = st.Base is StageRef b ? scopes[b.Index].Clone() : new StageScope(plan, imageEnv ?? []);
            foreach (var inst in st.Stage.Instructions)
            {
                if (inst is ArgInstruction a) scope.Apply(a);
                else if (inst is EnvInstruction e) scope.Apply(e);
            }
            scopes[st.Index] = scope;
        }
        return scopes[plan.Target.Index];
    }

    private static string? Var(StageScope s, string name) => s.Environment.TryGetValue(name, out var v) ? v : null;

    [Fact]
    public void GlobalArgNeedsRedeclaration()
    {
        const string df = "ARG VERSION=latest\nFROM busybox:$VERSION\nENV BEFORE=${VERSION:-unset}\nARG VERSION\nENV AFTER=$VERSION";
        var s = Scope(df);
        Assert.Equal("unset", Var(s, "BEFORE"));
        Assert.Equal("latest", Var(s, "AFTER"));
        Assert.Equal("override", Var(Scope(df, new() { ["VERSION"] = "override" }), "AFTER"));
    }

    [Fact]
    public void ArgDefaultBuildArgAndUnset()
    {
        var s = Scope("FROM scratch\nARG user1=someuser\nARG buildno\nARG none\nENV U=$user1 B=${buildno:-x}",
            new() { ["buildno"] = "7" });
        Assert.Equal("someuser", Var(s, "U"));
        Assert.Equal("7", Var(s, "B"));
        Assert.Null(Var(s, "none"));
        Assert.Equal([("user1", (string?)"someuser"), ("buildno", "7"), ("none", null)], s.Args.Select(a => (a.Key, a.Value)));
    }

    [Fact]
    public void EnvOverridesArgAndOnlyEnvReachesConfig()
    {
        // The reference's example: ENV after ARG of the same name wins, whatever --build-arg says.
        var s = Scope("FROM scratch\nARG CONT_IMG_VER\nENV CONT_IMG_VER=v1.0.0\nENV OUT=$CONT_IMG_VER", new() { ["CONT_IMG_VER"] = "v2.0.1" });
        Assert.Equal("v1.0.0", Var(s, "OUT"));
        // The other example: ENV from the ARG with a default.
        s = Scope("FROM scratch\nARG CONT_IMG_VER\nENV CONT_IMG_VER=${CONT_IMG_VER:-v1.0.0}", new() { ["CONT_IMG_VER"] = "v2.0.1" });
        Assert.Equal("v2.0.1", Var(s, "CONT_IMG_VER"));
        Assert.Equal([("CONT_IMG_VER", "v2.0.1")], s.ConfigEnv.Select(k => (k.Key, k.Value)));
        Assert.DoesNotContain(Scope("FROM scratch\nARG A=1").ConfigEnv, k => k.Key == "A");
    }

    [Fact]
    public void EnvPairsExpandAgainstTheOldValues()
    {
        var s = Scope("FROM scratch\nENV abc=hello\nENV abc=bye def=$abc\nENV ghi=$abc");
        Assert.Equal(("bye", "hello", "bye"), (Var(s, "abc"), Var(s, "def"), Var(s, "ghi")));
    }

    [Fact]
    public void ArgPairsExpandInOrder()
    {
        var s = Scope("FROM scratch\nARG A=1 B=${A}2");
        Assert.Equal("12", Var(s, "B"));
    }

    [Fact]
    public void EnvQuotingAndEscapes()
    {
        var s = Scope("FROM scratch\nENV HOME=/root\nENV A=\"$HOME x\" B='$HOME' C=\\$HOME D=a\\ b E=\"q\\\"q\"\nENV F \"legacy $HOME\" tail");
        Assert.Equal("/root x", Var(s, "A"));
        Assert.Equal("$HOME", Var(s, "B"));
        Assert.Equal("$HOME", Var(s, "C"));
        Assert.Equal("a b", Var(s, "D"));
        Assert.Equal("q\"q", Var(s, "E"));
        Assert.Equal("legacy /root tail", Var(s, "F"));
    }

    [Fact]
    public void ImageEnvAndStageInheritance()
    {
        var s = Scope("FROM img AS base\nARG X=fromstage\nENV PATH=/opt:$PATH\nFROM base\nENV Y=$X", imageEnv: ["PATH=/usr/bin", "Z=1"]);
        Assert.Equal("/opt:/usr/bin", Var(s, "PATH"));
        Assert.Equal("fromstage", Var(s, "Y"));  // ARGs carry over to a stage built FROM this one, as in BuildKit
        Assert.Equal(["PATH", "Z", "Y"], s.ConfigEnv.Select(k => k.Key));
    }

    [Fact]
    public void PlatformArgsInsideAStage()
    {
        var s = Scope("FROM scratch\nENV BEFORE=${TARGETARCH:-none}\nARG TARGETARCH\nARG TARGETPLATFORM BUILDOS\nENV AFTER=$TARGETARCH P=$TARGETPLATFORM O=$BUILDOS");
        Assert.Equal(("none", "amd64", "linux/amd64", "linux"), (Var(s, "BEFORE"), Var(s, "AFTER"), Var(s, "P"), Var(s, "O")));
    }

    [Fact]
    public void ExpansionErrorsCarryThePosition()
    {
        var e = Assert.Throws<DockerfileSyntaxException>(() => Scope("FROM scratch\n\nENV A=\"${B:?B is required}\""));
        Assert.Equal("Dockerfile:3:1: failed to process \"\\\"${B:?B is required}\\\"\": B: B is required", e.Message);
        // Unquoted, the spaces split the word: docker's syntax error, pointing at the stray word.
        e = Assert.Throws<DockerfileSyntaxException>(() => Scope("FROM scratch\nENV A=${B:?B is required}"));
        Assert.Equal(new SourcePosition("Dockerfile", 2, 14), e.Position);
    }

    [Fact]
    public void HeredocExpansionFollowsTheDelimiterQuoting()
    {
        var d = DockerfileParser.Parse("FROM scratch\nCOPY <<A <<\"B\" /\n$X\nA\n$X\nB\n", "Dockerfile");
        var copy = (CopyInstruction)d.Stages[0].Instructions[0];
        var s = new StageScope(new Dictionary<string, string>(), new Dictionary<string, string>(), ["X=1"]);
        Assert.Equal("1\n", s.ExpandHeredoc(copy.Heredocs[0]));
        Assert.Equal("$X\n", s.ExpandHeredoc(copy.Heredocs[1]));
    }
}
