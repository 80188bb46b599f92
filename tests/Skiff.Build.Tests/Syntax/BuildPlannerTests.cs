using Skiff.Build.Syntax;

namespace Skiff.Build.Tests.Syntax;

public class BuildPlannerTests
{
    private static readonly PlatformArgs Amd64 = new("linux", "amd64", "", "linux", "amd64", "");

    private static BuildPlan Plan(string text, Dictionary<string, string>? args = null, string? target = null) =>
        BuildPlanner.Plan(DockerfileParser.Parse(text, "Dockerfile"),
            new BuildOptions { BuildArgs = args ?? [], Target = target, Platforms = Amd64 });

    private static DockerfileSyntaxException Fails(string text, Dictionary<string, string>? args = null, string? target = null) =>
        Assert.Throws<DockerfileSyntaxException>(() => Plan(text, args, target));

    [Fact]
    public void BasesResolveToScratchStagesAndImages()
    {
        var p = Plan("ARG V=3.19\nFROM alpine:${V} AS base\nFROM base AS mid\nFROM scratch\nCOPY --from=mid /a /b\nCOPY --from=0 /c /d\nCOPY --from=busybox:1 /bin/sh /sh");
        Assert.Equal(new ImageRef("alpine:3.19"), p.Stages[0].Base);
        Assert.Equal(new StageRef(0), p.Stages[1].Base);
        Assert.Equal(ScratchRef.Instance, p.Stages[2].Base);
        Assert.Equal([0, 1], p.Stages[2].Dependencies);
        Assert.Equal([0, 1, 2], p.Needed.Select(s => s.Index));
        Assert.Equal(new StageRef(1), p.ResolveSource("MID", 2));
        Assert.Equal(new ImageRef("busybox:1"), p.ResolveSource("busybox:1", 2));
    }

    [Fact]
    public void TargetSelectsOnlyNeededStages()
    {
        const string df = "FROM scratch AS a\nFROM scratch AS b\nRUN --mount=type=bind,from=a,target=/a x\nFROM scratch AS c\nCOPY --from=b / /";
        var p = Plan(df, target: "b");
        Assert.Equal("b", p.Target.Stage.Name);
        Assert.Equal([0, 1], p.Needed.Select(s => s.Index));
        Assert.Equal([0, 1, 2], Plan(df).Needed.Select(s => s.Index));
        Assert.Equal([0], Plan(df, target: "A").Needed.Select(s => s.Index));
    }

    [Fact]
    public void UnknownTarget()
    {
        var e = Fails("FROM scratch AS build\nFROM scratch AS final", target: "test");
        Assert.Equal("target stage \"test\" could not be found (stages: build, final)", e.Reason);
    }

    [Theory]
    [InlineData("FROM scratch\nCOPY --from=later /a /b\nFROM scratch AS later", "cannot copy from stage \"later\", it needs to be defined before current stage \"stage-0\"")]
    [InlineData("FROM scratch AS self\nCOPY --from=self /a /b", "circular dependency detected on stage: self")]
    [InlineData("FROM scratch\nCOPY --from=5 /a /b", "invalid stage index 5")]
    [InlineData("FROM scratch\nCOPY --from=1 /a /b\nFROM scratch", "cannot copy from stage \"1\"")]
    [InlineData("ARG S=x\nFROM scratch\nCOPY --from=$S /a /b", "variable expansion is not supported for --from")]
    [InlineData("FROM scratch\nCOPY --from=Not/Valid:Ref /a /b", "--from=Not/Valid:Ref is neither an earlier stage")]
    [InlineData("FROM scratch\nRUN --mount=from=nope:::,target=/x true", "--from=nope::: is neither an earlier stage")]
    [InlineData("ARG IMG\nFROM $IMG", "base name ($IMG) should not be blank")]
    [InlineData("FROM ${IMG:?required}", "IMG: required")]
    [InlineData("FROM UPPER/Case", "invalid base image \"UPPER/Case\"")]
    [InlineData("FROM --platform=$NOPE scratch", "empty platform value from expression $NOPE")]
    [InlineData("FROM --platform=a/b/c/d scratch", "failed to parse platform a/b/c/d")]
    public void ReferenceErrors(string text, string reason)
    {
        var e = Fails(text);
        Assert.Contains(reason, e.Reason);
        Assert.StartsWith("Dockerfile:", e.Message);
    }

    [Fact]
    public void ErrorPointsAtTheFromFlag()
    {
        var e = Fails("FROM scratch\nCOPY --chown=1 --from=9 /a /b");
        Assert.Equal(new SourcePosition("Dockerfile", 2, 16), e.Position);
    }

    [Fact]
    public void UnusedBaseOfUnneededStageIsNotChecked()
    {
        var p = Plan("FROM Bad/Ref AS unused\nFROM scratch");
        Assert.Single(p.Needed);
    }

    [Fact]
    public void GlobalArgsAndBuildArgs()
    {
        const string df = "ARG REG=docker.io\nARG IMG=${REG}/library/alpine\nARG TAG\nFROM ${IMG}:${TAG:-latest}\nARG REG\nARG LOCAL=1";
        var p = Plan(df);
        Assert.Equal(new ImageRef("docker.io/library/alpine:latest"), p.Stages[0].Base);
        p = Plan(df, new() { ["REG"] = "quay.io", ["TAG"] = "3", ["LOCAL"] = "2", ["HTTP_PROXY"] = "http://p", ["NOPE"] = "x", ["ALSO"] = "y" });
        Assert.Equal(new ImageRef("quay.io/library/alpine:3"), p.Stages[0].Base);
        Assert.Equal(["ALSO", "NOPE"], p.UnusedBuildArgs);
        Assert.Equal("[Warning] One or more build-args [ALSO NOPE] were not consumed", p.UnusedBuildArgsWarning);
    }

    [Fact]
    public void ArgsOfSkippedStagesAreNotConsumed()
    {
        var p = Plan("FROM scratch AS a\nARG ONLY_A\nFROM scratch AS b", new() { ["ONLY_A"] = "1" }, target: "b");
        Assert.Equal(["ONLY_A"], p.UnusedBuildArgs);
        Assert.Null(Plan("FROM scratch AS a\nARG ONLY_A\nFROM scratch AS b", new() { ["ONLY_A"] = "1" }, target: "a").UnusedBuildArgsWarning);
    }

    [Fact]
    public void PlatformArgsInFrom()
    {
        var p = Plan("FROM --platform=$BUILDPLATFORM busybox:$TARGETARCH AS b\nFROM --platform=${TARGETOS}/arm64 scratch");
        Assert.Equal("linux/amd64", p.Stages[0].Platform);
        Assert.Equal(new ImageRef("busybox:amd64"), p.Stages[0].Base);
        Assert.Equal("linux/arm64", p.Stages[1].Platform);
        Assert.Equal("amd64", p.GlobalArgs["TARGETARCH"]);
        Assert.Equal("linux/amd64", p.GlobalArgs["TARGETPLATFORM"]);
        Assert.Equal("default", p.GlobalArgs["TARGETSTAGE"]);
        var arm = BuildPlanner.Plan(DockerfileParser.Parse("FROM busybox:$TARGETARCH$TARGETVARIANT", "Dockerfile"),
            new BuildOptions { Platforms = PlatformArgs.ForTarget("linux/arm/v7") });
        Assert.Equal(new ImageRef("busybox:armv7"), arm.Stages[0].Base);
    }

    [Theory]
    [InlineData("linux/amd64", "linux", "amd64", "")]
    [InlineData("linux/arm64/v8", "linux", "arm64", "")]
    [InlineData("linux/arm", "linux", "arm", "v7")]
    [InlineData("arm64", "linux", "arm64", "")]
    [InlineData("Linux/X86_64", "linux", "amd64", "")]
    public void PlatformParse(string text, string os, string arch, string variant) =>
        Assert.Equal((os, arch, variant), PlatformArgs.Parse(text));
}
