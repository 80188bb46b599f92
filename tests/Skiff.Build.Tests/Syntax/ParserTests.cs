using Skiff.Build.Syntax;

namespace Skiff.Build.Tests.Syntax;

/// <summary>Dockerfile reference examples and docker's parser corners, one instruction kind at a time.</summary>
public class ParserTests
{
    private static Dockerfile P(string text) => DockerfileParser.Parse(text, "Dockerfile");

    private static T Only<T>(string body) where T : Instruction
    {
        var d = P("FROM scratch\n" + body);
        return Assert.IsType<T>(Assert.Single(d.Stages[0].Instructions));
    }

    [Theory]
    [InlineData("RUN echo hi", "echo hi")]
    [InlineData("run   echo   hi  ", "echo   hi")]
    [InlineData("RUN [\"echo\", \"hi\"", "[\"echo\", \"hi\"")]            // bad JSON: shell form, as docker
    [InlineData("RUN [\"echo\"] trailing", "[\"echo\"] trailing")]       // JSON with something after it: shell form
    [InlineData("RUN echo \"[not json]\"", "echo \"[not json]\"")]
    [InlineData("RUN [echo, hi]", "[echo, hi]")]
    public void RunShellForm(string line, string expected)
    {
        var run = Only<RunInstruction>(line);
        Assert.Equal(expected, Assert.IsType<ShellForm>(run.Command).Command);
    }

    [Theory]
    [InlineData("RUN [\"echo\", \"hi\"]", new[] { "echo", "hi" })]
    [InlineData("RUN   [ \"a b\" ,\"c\\\"d\" ]  ", new[] { "a b", "c\"d" })]
    [InlineData("CMD []", new string[0])]
    [InlineData("ENTRYPOINT [\"/bin/sh\", \"-c\", \"echo $HOME\"]", new[] { "/bin/sh", "-c", "echo $HOME" })]
    [InlineData("RUN [\"\\u00e9\"]", new[] { "é" })]
    public void ExecForm(string line, string[] expected)
    {
        var d = P("FROM scratch\n" + line);
        var inst = d.Stages[0].Instructions[0];
        var form = inst switch
        {
            RunInstruction r => r.Command,
            CmdInstruction c => c.Command,
            EntrypointInstruction e => e.Command,
            _ => throw new InvalidOperationException(),
        };
        Assert.Equal(expected, Assert.IsType<ExecForm>(form).Arguments);
    }

    [Fact]
    public void JsonArrayWithNonStringIsAnError()
    {
        var e = Assert.Throws<DockerfileSyntaxException>(() => P("FROM scratch\nCMD [\"a\", 1]"));
        Assert.Equal("Dockerfile:2:5: when using JSON array syntax, arrays must be comprised of strings only", e.Message);
    }

    [Fact]
    public void CommandFormToArgv()
    {
        Assert.Equal(["/bin/sh", "-c", "echo hi"], new ShellForm("echo hi").ToArgv(["/bin/sh", "-c"]));
        Assert.Equal(["a"], new ExecForm(["a"]).ToArgv(["/bin/sh", "-c"]));
    }

    [Fact]
    public void ContinuationsCommentsAndEmptyLines()
    {
        var d = P("FROM scratch\nRUN echo a \\\n  # a comment inside\n\n    && echo b \\  \n  && echo c\nRUN x");
        var run = Assert.IsType<RunInstruction>(d.Stages[0].Instructions[0]);
        Assert.Equal("echo a     && echo b   && echo c", ((ShellForm)run.Command).Command);
        Assert.Equal(2, run.Position.Line);
        Assert.Equal(6, run.EndLine);
        Assert.Equal(7, d.Stages[0].Instructions[1].Position.Line);
        Assert.Contains(d.Warnings, w => w.Message.StartsWith("empty continuation line", StringComparison.Ordinal));
    }

    [Fact]
    public void EscapedEscapeAtEndDoesNotContinue()
    {
        var d = P("FROM scratch\nRUN echo a\\\\\nRUN echo b");
        Assert.Equal(2, d.Stages[0].Instructions.Count);
        Assert.Equal("echo a\\\\", ((ShellForm)((RunInstruction)d.Stages[0].Instructions[0]).Command).Command);
    }

    [Fact]
    public void BacktickEscapeDirective()
    {
        var d = P("# escape=`\nFROM scratch\nRUN dir c:\\ `\n  /b\nCOPY . c:\\\\\n");
        Assert.Equal('`', d.Directives.Escape);
        Assert.Equal("dir c:\\   /b", ((ShellForm)((RunInstruction)d.Stages[0].Instructions[0]).Command).Command);
        Assert.Equal("c:\\\\", ((CopyInstruction)d.Stages[0].Instructions[1]).Destination);
    }

    [Theory]
    [InlineData("# syntax=docker/dockerfile:1\n# escape=`\nFROM scratch", "docker/dockerfile:1", '`')]
    [InlineData("#SYNTAX = x\n#Escape= \\\nFROM scratch", "x", '\\')]
    [InlineData("FROM scratch\n# escape=`", null, '\\')]                       // after an instruction: a comment
    [InlineData("# comment\n# escape=`\nFROM scratch", null, '\\')]           // after a comment: a comment
    [InlineData("\n# escape=`\nFROM scratch", null, '\\')]                    // after an empty line: a comment
    [InlineData("# unknown=1\n# escape=`\nFROM scratch", null, '\\')]         // an unknown directive ends them
    [InlineData("#escape=`\n#syntax=a\n#check=skip=all\nFROM scratch", "a", '`')]
    public void Directives(string text, string? syntax, char escape)
    {
        var d = P(text);
        Assert.Equal(syntax, d.Directives.Syntax);
        Assert.Equal(escape, d.Directives.Escape);
    }

    [Fact]
    public void CheckDirectiveAndDuplicates()
    {
        Assert.Equal("skip=all;error=true", P("# check=skip=all;error=true\nFROM scratch").Directives.Check);
        var e = Assert.Throws<DockerfileSyntaxException>(() => P("# escape=`\n# escape=\\\nFROM scratch"));
        Assert.Equal("Dockerfile:2:1: only one escape parser directive can be used", e.Message);
        e = Assert.Throws<DockerfileSyntaxException>(() => P("# escape=x\nFROM scratch"));
        Assert.Contains("invalid escape token 'x'", e.Message);
    }

    [Fact]
    public void BomAndCrLf()
    {
        var d = P("\uFEFF# escape=`\r\nFROM scratch\r\nRUN a `\r\n b\r\n");
        Assert.Equal('`', d.Directives.Escape);
        Assert.Equal("a  b", ((ShellForm)((RunInstruction)d.Stages[0].Instructions[0]).Command).Command);
    }

    [Fact]
    public void InstructionsAreCaseInsensitive()
    {
        var d = P("from scratch as Base\nrUn x\nCopy a b\nEnv A=1");
        Assert.Equal("base", d.Stages[0].Name);
        Assert.Contains(d.Warnings, w => w.Message.Contains("should be lowercase"));
        Assert.Equal(["RUN", "COPY", "ENV"], d.Stages[0].Instructions.Select(i => i.Keyword));
    }

    [Fact]
    public void HeredocRun()
    {
        var d = P("FROM scratch\nRUN <<EOF\necho hello\necho $HOME\nEOF\nRUN x");
        var run = Assert.IsType<RunInstruction>(d.Stages[0].Instructions[0]);
        Assert.Equal("<<EOF", ((ShellForm)run.Command).Command);
        var h = Assert.Single(run.Heredocs);
        Assert.Equal("EOF", h.Name);
        Assert.Equal("echo hello\necho $HOME\n", h.Content);
        Assert.True(h.Expand);
        Assert.False(h.Chomp);
        Assert.Equal(5, run.EndLine);
        Assert.Equal(6, d.Stages[0].Instructions[1].Position.Line);
    }

    [Fact]
    public void HeredocTabStripQuotedAndSeveral()
    {
        var d = P("FROM scratch\nRUN <<-\"A\" python3 - <<'B' && cat <<C\n\t\tone\n\tA\ntwo\nB\n\tthree\nC\n");
        var run = Assert.IsType<RunInstruction>(d.Stages[0].Instructions[0]);
        Assert.Equal(3, run.Heredocs.Count);
        Assert.Equal(("A", "one\n", false, true), (run.Heredocs[0].Name, run.Heredocs[0].Content, run.Heredocs[0].Expand, run.Heredocs[0].Chomp));
        Assert.Equal(("B", "two\n", false, false), (run.Heredocs[1].Name, run.Heredocs[1].Content, run.Heredocs[1].Expand, run.Heredocs[1].Chomp));
        Assert.Equal(("C", "\tthree\n", true, false), (run.Heredocs[2].Name, run.Heredocs[2].Content, run.Heredocs[2].Expand, run.Heredocs[2].Chomp));
    }

    [Fact]
    public void HeredocWithSpaceAfterMarkerAndInsideQuotes()
    {
        var d = P("FROM scratch\nRUN cat << EOF > /x\nhi\nEOF\nRUN echo \"<<EOF\"\n");
        var run = (RunInstruction)d.Stages[0].Instructions[0];
        Assert.Equal("EOF", Assert.Single(run.Heredocs).Name);
        Assert.Empty(((RunInstruction)d.Stages[0].Instructions[1]).Heredocs);
    }

    [Fact]
    public void HeredocNotInJsonFormOrOtherInstructions()
    {
        var d = P("FROM scratch\nRUN [\"cat\", \"<<EOF\"]\nLABEL a=<<EOF\n");
        Assert.Equal(2, d.Stages[0].Instructions.Count);
    }

    [Fact]
    public void HeredocCopy()
    {
        var d = P("FROM scratch\nCOPY <<one.txt <<\"two.txt\" /dest/\nfirst $X\none.txt\nsecond $X\ntwo.txt\n");
        var copy = Assert.IsType<CopyInstruction>(d.Stages[0].Instructions[0]);
        Assert.Empty(copy.Sources);
        Assert.Equal("/dest/", copy.Destination);
        Assert.Equal(["one.txt", "two.txt"], copy.Heredocs.Select(h => h.Name));
        Assert.Equal("first $X\n", copy.Heredocs[0].Content);
        Assert.True(copy.Heredocs[0].Expand);
        Assert.False(copy.Heredocs[1].Expand);
    }

    [Fact]
    public void HeredocErrors()
    {
        var e = Assert.Throws<DockerfileSyntaxException>(() => P("FROM scratch\nRUN <<EOF\necho\n"));
        Assert.StartsWith("Dockerfile:2:5: unterminated heredoc <<EOF", e.Message);
        e = Assert.Throws<DockerfileSyntaxException>(() => P("FROM scratch\nCOPY a <<EOF\nx\nEOF\n"));
        Assert.Contains("COPY cannot accept a heredoc as a destination", e.Message);
    }

    [Fact]
    public void RunFlags()
    {
        var run = Only<RunInstruction>(
            "RUN --mount=type=cache,target=/root/.cache,id=pip,sharing=locked --mount=type=bind,from=build,source=/out,target=/in,rw " +
            "--mount=type=tmpfs,target=/tmp,size=64m --mount=type=secret,id=tok --network=none --security=sandbox make");
        Assert.Equal("none", run.Network);
        Assert.Equal("sandbox", run.Security);
        Assert.Equal("make", ((ShellForm)run.Command).Command);
        Assert.Equal(4, run.Mounts.Count);
        var cache = run.Mounts[0];
        Assert.Equal((RunMountType.Cache, "/root/.cache", "pip", "locked", false, (uint?)0x1ED), (cache.Type, cache.Target, cache.Id, cache.Sharing, cache.ReadOnly, cache.Mode));
        var bind = run.Mounts[1];
        Assert.Equal((RunMountType.Bind, "build", "/out", "/in", false), (bind.Type, bind.From, bind.Source, bind.Target, bind.ReadOnly));
        Assert.Equal((RunMountType.Tmpfs, 64L * 1024 * 1024), (run.Mounts[2].Type, run.Mounts[2].SizeLimit));
        var secret = run.Mounts[3];
        Assert.Equal((RunMountType.Secret, "tok", "/run/secrets/tok", true, (uint?)256u), (secret.Type, secret.Id, secret.Target, secret.ReadOnly, secret.Mode));
        Assert.Equal(6, run.Flags.Count);
    }

    [Theory]
    [InlineData("RUN --mount=type=nfs,target=/x a", "unsupported mount type \"nfs\"")]
    [InlineData("RUN --mount=type=bind,foo=bar,target=/x a", "unexpected key 'foo' in 'foo=bar'")]
    [InlineData("RUN --mount=type=tmpfs,target=/x,mode=0700 a", "mode not allowed for \"tmpfs\" type mounts")]
    [InlineData("RUN --mount=type=bind,target=/x,sharing=locked a", "invalid cache sharing set for bind mount")]
    [InlineData("RUN --mount=type=cache a", "mount type cache requires a target")]
    [InlineData("RUN --mount=type=bind,size=1m,target=/x a", "unexpected key 'size' for mount type 'bind'")]
    [InlineData("RUN --mount=type=secret a", "invalid secret mount")]
    [InlineData("RUN --mount=type=cache,target=/x,uid=abc a", "invalid value for uid: abc")]
    [InlineData("RUN --network=bridge a", "unsupported network mode \"bridge\"")]
    [InlineData("RUN --security=privileged a", "unsupported security mode \"privileged\"")]
    [InlineData("RUN --mount a", "missing a value on flag: mount")]
    [InlineData("RUN --foo=bar a", "unknown flag: foo (RUN accepts --mount, --network, --security)")]
    [InlineData("RUN --network=none --network=host a", "duplicate flag specified: network")]
    [InlineData("COPY --link=maybe a b", "expecting boolean value for flag link, not: maybe")]
    [InlineData("COPY --link= a b", "missing a value on flag: link")]
    [InlineData("COPY --from a b", "missing a value on flag: from")]
    [InlineData("ADD --parents a b", "unknown flag: parents")]
    [InlineData("WORKDIR --x=1 /a", "unknown flag: x (WORKDIR takes no flags)")]
    [InlineData("CMD --help", "unknown flag: help (CMD takes no flags)")]
    public void FlagErrors(string line, string reason)
    {
        var e = Assert.Throws<DockerfileSyntaxException>(() => P("FROM scratch\n" + line));
        Assert.Contains(reason, e.Reason);
        Assert.Equal(2, e.Position.Line);
        Assert.True(e.Position.Column > 1, "a flag error points at the flag");
    }

    [Fact]
    public void FlagPositionsPointAtTheFlag()
    {
        var e = Assert.Throws<DockerfileSyntaxException>(() => P("FROM scratch\nRUN --network=none \\\n    --bogus=1 echo"));
        Assert.Equal(new SourcePosition("Dockerfile", 3, 5), e.Position);
    }

    [Fact]
    public void CopyAndAdd()
    {
        var copy = Only<CopyInstruction>("COPY --from=build --chown=1000:1000 --chmod=0755 --link --parents --exclude=*.md --exclude=.git src/*.go [\"not\" /app/");
        Assert.Equal(("build", "1000:1000", "0755", true, true), (copy.From, copy.Chown, copy.Chmod, copy.Link, copy.Parents));
        Assert.Equal(["*.md", ".git"], copy.Excludes);
        Assert.Equal(["src/*.go", "[\"not\""], copy.Sources);
        Assert.Equal("/app/", copy.Destination);

        var json = Only<CopyInstruction>("COPY [\"a b.txt\", \"c\", \"/dest dir/\"]");
        Assert.Equal(["a b.txt", "c"], json.Sources);
        Assert.Equal("/dest dir/", json.Destination);

        var add = Only<AddInstruction>("ADD --keep-git-dir=true --checksum=sha256:abc --unpack=false --chown=a https://x/y.tar.gz /z");
        Assert.Equal((true, "sha256:abc", (bool?)false, "a"), (add.KeepGitDir, add.Checksum, add.Unpack, add.Chown));
        Assert.Equal(["https://x/y.tar.gz"], add.Sources);
        Assert.Null(Only<AddInstruction>("ADD a b").Unpack);
    }

    [Theory]
    [InlineData("COPY onlyone", "COPY requires at least two arguments, but only one was provided. Destination could not be determined.")]
    [InlineData("ADD", "ADD requires at least two arguments, but only one was provided. Destination could not be determined.")]
    public void CopyNeedsTwoArguments(string line, string reason)
    {
        var e = Assert.Throws<DockerfileSyntaxException>(() => P("FROM scratch\n" + line));
        Assert.Equal(reason, e.Reason);
    }

    [Fact]
    public void EnvForms()
    {
        var env = Only<EnvInstruction>("ENV MY_NAME=\"John Doe\" MY_DOG=Rex\\ The\\ Dog \\\n    MY_CAT=fluffy EMPTY= Q='a $b'");
        Assert.Equal([("MY_NAME", "\"John Doe\""), ("MY_DOG", "Rex\\ The\\ Dog"), ("MY_CAT", "fluffy"), ("EMPTY", ""), ("Q", "'a $b'")],
            env.Pairs.Select(p => (p.Key, p.Value)));
        var legacy = P("FROM scratch\nENV MY_VAR my-value with  spaces");
        var l = (EnvInstruction)legacy.Stages[0].Instructions[0];
        Assert.Equal(("MY_VAR", "my-value with  spaces"), (l.Pairs[0].Key, l.Pairs[0].Value));
        Assert.Contains(legacy.Warnings, w => w.Message.Contains("legacy"));
    }

    [Theory]
    [InlineData("ENV", "ENV requires at least one argument")]
    [InlineData("ENV ONLYKEY", "ENV must have two arguments")]
    [InlineData("ENV a=1 b", "Syntax error - can't find = in \"b\". Must be of the form: name=value")]
    [InlineData("ENV =x", "ENV names can not be blank")]
    [InlineData("LABEL", "LABEL requires at least one argument")]
    [InlineData("ARG", "ARG requires at least one argument")]
    [InlineData("ARG =x", "ARG names can not be blank")]
    [InlineData("EXPOSE", "EXPOSE requires at least one argument")]
    [InlineData("WORKDIR", "WORKDIR requires exactly one argument")]
    [InlineData("USER", "USER requires exactly one argument")]
    [InlineData("STOPSIGNAL", "STOPSIGNAL requires exactly one argument")]
    [InlineData("MAINTAINER", "MAINTAINER requires exactly one argument")]
    [InlineData("VOLUME", "VOLUME requires at least one argument")]
    [InlineData("VOLUME [\"\"]", "VOLUME specified can not be an empty string")]
    [InlineData("SHELL /bin/bash -c", "SHELL requires the arguments to be in JSON form")]
    [InlineData("SHELL []", "SHELL requires at least one argument")]
    [InlineData("HEALTHCHECK", "HEALTHCHECK requires at least one argument")]
    [InlineData("HEALTHCHECK NONE x", "HEALTHCHECK NONE takes no arguments")]
    [InlineData("HEALTHCHECK CMD", "Missing command after HEALTHCHECK CMD")]
    [InlineData("HEALTHCHECK RUN x", "Unknown type \"RUN\" in HEALTHCHECK (try CMD)")]
    [InlineData("HEALTHCHECK --interval=5 CMD x", "time: invalid duration \"5\"")]
    [InlineData("HEALTHCHECK --timeout=10us CMD x", "Interval \"timeout\" cannot be less than 1ms")]
    [InlineData("HEALTHCHECK --retries=-1 CMD x", "--retries cannot be negative (-1)")]
    [InlineData("ONBUILD", "ONBUILD requires at least one argument")]
    [InlineData("ONBUILD ONBUILD RUN x", "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed")]
    [InlineData("ONBUILD FROM x", "FROM isn't allowed as an ONBUILD trigger")]
    [InlineData("ONBUILD maintainer x", "MAINTAINER isn't allowed as an ONBUILD trigger")]
    [InlineData("ONBUILD FOO x", "unknown instruction: FOO")]
    [InlineData("RUN", "RUN requires at least one argument")]
    [InlineData("FROM", "FROM requires either one or three arguments")]
    [InlineData("FROM a b", "FROM requires either one or three arguments")]
    [InlineData("FROM a is b", "FROM requires either one or three arguments: expected AS, not \"is\"")]
    [InlineData("FROM a AS 1st", "invalid name for build stage: \"1st\", name can't start with a number or contain symbols")]
    [InlineData("FROM a AS b$c", "invalid name for build stage")]
    [InlineData("FROOM a", "unknown instruction: FROOM (did you mean FROM?)")]
    public void ArgumentErrors(string line, string reason)
    {
        var e = Assert.Throws<DockerfileSyntaxException>(() => P("FROM scratch\n" + line));
        Assert.StartsWith(reason, e.Reason);
        Assert.Equal(2, e.Position.Line);
        Assert.StartsWith("Dockerfile:2:", e.Message);
    }

    [Fact]
    public void LabelsArgsExposeEtc()
    {
        var d = P("""
            FROM scratch
            LABEL "com.example.vendor"="ACME Inc" version=1.0 description="This text illustrates \
            that label-values can span multiple lines."
            ARG user1 buildno=1 "q=a b"
            EXPOSE 8080/udp 80 443/tcp
            WORKDIR /path/to/$DIRNAME
            USER patrick:staff
            VOLUME ["/data", "/logs"]
            VOLUME /a /b
            STOPSIGNAL SIGKILL
            SHELL ["powershell", "-command"]
            MAINTAINER Jane <j@example.com>
            """);
        var i = d.Stages[0].Instructions;
        var label = (LabelInstruction)i[0];
        Assert.Equal(["\"com.example.vendor\"", "version", "description"], label.Pairs.Select(p => p.Key));
        Assert.Equal("\"This text illustrates that label-values can span multiple lines.\"", label.Pairs[2].Value);
        var arg = (ArgInstruction)i[1];
        Assert.Equal([("user1", (string?)null), ("buildno", "1"), ("\"q", "a b\"")], arg.Args.Select(a => (a.Name, a.Default)));
        Assert.Equal(["443/tcp", "80", "8080/udp"], ((ExposeInstruction)i[2]).Ports);
        Assert.Equal("/path/to/$DIRNAME", ((WorkdirInstruction)i[3]).Path);
        Assert.Equal("patrick:staff", ((UserInstruction)i[4]).User);
        Assert.Equal(["/data", "/logs"], ((VolumeInstruction)i[5]).Paths);
        Assert.Equal(["/a", "/b"], ((VolumeInstruction)i[6]).Paths);
        Assert.Equal("SIGKILL", ((StopSignalInstruction)i[7]).Signal);
        Assert.Equal(["powershell", "-command"], ((ShellInstruction)i[8]).Shell);
        Assert.Equal("Jane <j@example.com>", ((MaintainerInstruction)i[9]).Name);
        Assert.Contains(d.Warnings, w => w.Message.Contains("MAINTAINER"));
    }

    [Fact]
    public void Healthcheck()
    {
        var h = Only<HealthcheckInstruction>("HEALTHCHECK --interval=5m --timeout=3s --start-period=1m30s --start-interval=500ms --retries=3 \\\n  CMD curl -f http://localhost/ || exit 1");
        Assert.False(h.None);
        Assert.Equal(TimeSpan.FromMinutes(5), h.Interval);
        Assert.Equal(TimeSpan.FromSeconds(3), h.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(90), h.StartPeriod);
        Assert.Equal(TimeSpan.FromMilliseconds(500), h.StartInterval);
        Assert.Equal(3, h.Retries);
        Assert.Equal(["CMD-SHELL", "curl -f http://localhost/ || exit 1"], h.Test);
        Assert.Equal(["CMD", "/bin/check", "x"], Only<HealthcheckInstruction>("HEALTHCHECK cmd [\"/bin/check\", \"x\"]").Test);
        var none = Only<HealthcheckInstruction>("HEALTHCHECK none");
        Assert.True(none.None);
        Assert.Equal(["NONE"], none.Test);
        Assert.Equal(TimeSpan.Zero, Only<HealthcheckInstruction>("HEALTHCHECK --interval=0 CMD x").Interval);
    }

    [Fact]
    public void Onbuild()
    {
        var d = P("FROM scratch\nONBUILD ADD . /app/src\nONBUILD RUN --mount=type=cache,target=/c <<EOF\nmake\nEOF\n");
        var o = (OnbuildInstruction)d.Stages[0].Instructions[0];
        Assert.Equal("ADD . /app/src", o.Expression);
        var add = Assert.IsType<AddInstruction>(o.Inner);
        Assert.Equal(new SourcePosition("Dockerfile", 2, 9), add.Position);
        var o2 = (OnbuildInstruction)d.Stages[0].Instructions[1];
        Assert.Equal("RUN --mount=type=cache,target=/c <<EOF\nmake\nEOF", o2.Expression);
        var run = Assert.IsType<RunInstruction>(o2.Inner);
        Assert.Equal("make\n", Assert.Single(run.Heredocs).Content);
        Assert.Single(run.Mounts);
    }

    [Fact]
    public void ArgAndStopsignalFlagsAreIgnoredAsDocker()
    {
        var d = P("FROM scratch\nARG --foo=1 X=2\nSTOPSIGNAL --bar SIGTERM");
        var arg = (ArgInstruction)d.Stages[0].Instructions[0];
        Assert.Equal("X", arg.Args[0].Name);
        Assert.Equal("foo", arg.Flags[0].Name);
        Assert.Equal("SIGTERM", ((StopSignalInstruction)d.Stages[0].Instructions[1]).Signal);
        Assert.Equal(2, d.Warnings.Count(w => w.Message.Contains("takes no flags")));
    }

    [Fact]
    public void StagesAndGlobalArgs()
    {
        var d = P("ARG A=1\nARG B\nFROM base:$A AS one\nARG A\nFROM one\nFROM --platform=linux/arm64 scratch AS three");
        Assert.Equal(2, d.GlobalArgs.Count);
        Assert.Equal(3, d.Stages.Count);
        Assert.Equal(["one", null, "three"], d.Stages.Select(s => s.Name));
        Assert.Equal([0, 1, 2], d.Stages.Select(s => s.Index));
        Assert.Single(d.Stages[0].Instructions);
        Assert.Empty(d.Stages[1].Instructions);
        Assert.Equal("linux/arm64", d.Stages[2].Platform);
        Assert.Equal(new SourcePosition("Dockerfile", 5, 1), d.Stages[1].Position);
    }

    [Theory]
    [InlineData("", "Dockerfile:1:1: file with no instructions (expected FROM)")]
    [InlineData("# only a comment\n\n", "Dockerfile:2:1: file with no instructions (expected FROM)")]
    [InlineData("ARG X\n", "Dockerfile:1:1: no build stage: expected a FROM instruction after the ARGs")]
    [InlineData("ARG X\nRUN echo\nFROM scratch", "Dockerfile:2:1: no build stage in current context: RUN before the first FROM (only ARG may come before FROM)")]
    [InlineData("FROM a AS x\nFROM b AS X", "Dockerfile:2:1: duplicate stage name \"x\" (already used at line 1); stage names must be unique")]
    public void StructureErrors(string text, string message)
    {
        var e = Assert.Throws<DockerfileSyntaxException>(() => P(text));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void FileNameInPositions()
    {
        var e = Assert.Throws<DockerfileSyntaxException>(() => DockerfileParser.Parse("FROM scratch\n\n\n   BOGUS", "build/Dockerfile.dev"));
        Assert.StartsWith("build/Dockerfile.dev:4:4: unknown instruction: BOGUS", e.Message);
    }

    [Fact]
    public void OriginalText()
    {
        var d = P("FROM scratch\n  RUN --network=none echo a \\\n   b   \n");
        var run = d.Stages[0].Instructions[0];
        Assert.Equal("RUN --network=none echo a    b", run.Original);
        Assert.Equal(new SourcePosition("Dockerfile", 2, 3), run.Position);
    }
}
