using Skiff.Build.Syntax;

namespace Skiff.Build.Tests.Syntax;

public class ParserBasicsTests
{
    private static Dockerfile P(string text) => DockerfileParser.Parse(text.Replace("\r\n", "\n"), "Dockerfile");

    private static DockerfileSyntaxException Fails(string text) =>
        Assert.Throws<DockerfileSyntaxException>(() => DockerfileParser.Parse(text, "Dockerfile"));

    [Fact]
    public void MultiStageWithGlobalArgs()
    {
        var d = P("""
            # syntax=docker/dockerfile:1
            ARG BASE=alpine
            FROM ${BASE} AS Build
            RUN make
            from --platform=$BUILDPLATFORM scratch
            COPY --from=build /out /
            """);
        Assert.Equal("docker/dockerfile:1", d.Directives.Syntax);
        Assert.Single(d.GlobalArgs);
        Assert.Equal("BASE", d.GlobalArgs[0].Args[0].Name);
        Assert.Equal("alpine", d.GlobalArgs[0].Args[0].Default);
        Assert.Equal(2, d.Stages.Count);
        Assert.Equal("build", d.Stages[0].Name);
        Assert.Equal("${BASE}", d.Stages[0].BaseName);
        Assert.Equal("$BUILDPLATFORM", d.Stages[1].Platform);
        Assert.Null(d.Stages[1].Name);
        var copy = Assert.IsType<CopyInstruction>(d.Stages[1].Instructions[0]);
        Assert.Equal("build", copy.From);
        Assert.Equal(["/out"], copy.Sources);
        Assert.Equal("/", copy.Destination);
        Assert.Equal(new SourcePosition("Dockerfile", 6, 1), copy.Position);
        Assert.Same(d.Stages[0], d.FindStage("BUILD"));
        Assert.Same(d.Stages[1], d.FindStage("1"));
    }

    [Fact]
    public void UnknownInstructionHasPosition()
    {
        var e = Fails("FROM scratch\n  FOOBAR x\n");
        Assert.StartsWith("Dockerfile:2:3: unknown instruction: FOOBAR", e.Message);
    }
}

public class RunHeredocPlanTests
{
    private static RunInstruction Run(string text) =>
        (RunInstruction)DockerfileParser.Parse("FROM scratch\n" + text, "Dockerfile").Stages[0].Instructions[0];

    [Fact]
    public void SingleHeredocRunsItsBody()
    {
        var p = Run("RUN <<EOF\necho a\necho b\nEOF\n").Plan();
        Assert.Equal(new ShellForm("echo a\necho b\n"), p.Command);
        Assert.Null(p.ScriptFile);
    }

    [Fact]
    public void ShebangBodyBecomesAnExecutableFile()
    {
        var p = Run("RUN <<-\"SCRIPT\"\n\t#!/usr/bin/env python3\n\tprint(1)\n\tSCRIPT\n").Plan();
        Assert.Equal(new ShellForm("/dev/pipes/SCRIPT"), p.Command);
        Assert.Equal("#!/usr/bin/env python3\nprint(1)\n", p.ScriptFile!.Content);
        Assert.Equal("/dev/pipes/SCRIPT", p.ScriptPath);
    }

    [Fact]
    public void OtherFormsGoToTheShellWhole()
    {
        var p = Run("RUN python3 <<A && cat <<B > /f\nprint(1)\nA\nhello\nB\n").Plan();
        Assert.Equal(new ShellForm("python3 <<A && cat <<B > /f\nprint(1)\nA\nhello\nB"), p.Command);
        Assert.Equal(new ShellForm("echo"), Run("RUN echo").Plan().Command);
    }
}
