using System.Text.Json;
using Skiff.Build.Execution;
using Skiff.Build.Tests.Fixtures;

namespace Skiff.Build.Tests;

/// <summary>Every config instruction lands in the image config and history as docker writes them; RUN layers hold
/// files, deletions (whiteouts) and run as the right user in the right directory.</summary>
public sealed class InstructionTests : IClassFixture<BuildEnv>
{
    readonly BuildEnv env;
    public InstructionTests(BuildEnv env) => this.env = env;

    [Fact]
    public async Task ConfigInstructionsSetEveryField()
    {
        var df = $"""
            FROM {Busybox.Name}
            MAINTAINER someone@example.com
            ENV A=1 B="two words"
            ENV C $A-x
            LABEL org.example.a="la" b=$B
            EXPOSE 80 53/udp 8080/TCP
            VOLUME /data
            VOLUME ["/logs"]
            STOPSIGNAL SIGTERM
            HEALTHCHECK --interval=5s --retries=2 CMD wget -q localhost || exit 1
            SHELL ["/bin/sh", "-ec"]
            WORKDIR /app
            WORKDIR sub
            USER app:extra
            ONBUILD RUN echo triggered
            ENTRYPOINT ["/bin/echo"]
            CMD ["hello"]
            """;
        var (r, _) = await env.Build(df);
        var c = r.Image.Config.Config!;
        Assert.Contains("A=1", c.Env!);
        Assert.Contains("B=two words", c.Env!);
        Assert.Contains("C=1-x", c.Env!);
        Assert.Equal("la", c.Labels!["org.example.a"]);
        Assert.Equal("two words", c.Labels!["b"]);
        Assert.Equal(["53/udp", "80/tcp", "8080/tcp"], c.ExposedPorts!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["/data", "/logs"], c.Volumes!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("SIGTERM", c.StopSignal);
        Assert.Equal("/app/sub", c.WorkingDir);
        Assert.Equal("app:extra", c.User);
        Assert.Equal(["/bin/echo"], c.Entrypoint!);
        Assert.Equal(["hello"], c.Cmd!);
        Assert.Equal("someone@example.com", r.Image.Config.Author);
        var hc = c.Extra!["Healthcheck"];
        Assert.Equal(["CMD-SHELL", "wget -q localhost || exit 1"], hc.GetProperty("Test").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(5_000_000_000L, hc.GetProperty("Interval").GetInt64());
        Assert.Equal(2, hc.GetProperty("Retries").GetInt32());
        Assert.Equal(["/bin/sh", "-ec"], c.Extra["Shell"].EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["RUN echo triggered"], c.Extra["OnBuild"].EnumerateArray().Select(e => e.GetString()));
        var hist = r.Image.Config.History!;
        Assert.Equal(r.Image.Config.RootFs.DiffIds.Length, hist.Count(h => !h.EmptyLayer));
        Assert.Contains(hist, h => h.CreatedBy == "ENV A=1 B=two words" && h.EmptyLayer);
        Assert.Contains(hist, h => h.CreatedBy == "WORKDIR /app/sub" && !h.EmptyLayer);
        // the image runs: entrypoint + cmd, as app in /app/sub (created, owned by app)
        var (code, output) = env.Run(r.Image);
        Assert.Equal(0, code);
        Assert.Equal("hello\n", output);
        var (code2, who) = env.Run(r.Image, "/bin/sh", "-c", "id -u; id -g; id -G; pwd; stat -c %u:%g /app/sub");
        Assert.Equal(0, code2);
        Assert.Equal("1000\n2000\n2000\n/app/sub\n0:0\n", who); // WORKDIR came before USER
    }

    [Fact]
    public async Task RunLayersAddChangeAndDeleteFiles()
    {
        var df = $"""
            FROM {Busybox.Name}
            RUN echo one > /one && mkdir -p /d/e && echo deep > /d/e/f && chmod 0750 /d/e
            RUN rm /etc/base-marker && rm -r /d/e && echo changed > /one && ln -s /one /link
            USER app
            RUN id -u > /tmp/who && pwd > /tmp/where
            """;
        var (r, _) = await env.Build(df);
        Assert.Equal(4, r.Image.Config.RootFs.DiffIds.Length);
        var (code, output) = env.Run(r.Image, "/bin/sh", "-c",
            "cat /one; ls /etc/base-marker 2>&1 || true; ls /d; readlink /link; cat /tmp/who /tmp/where; ls -a /proc | head -1 >/dev/null");
        Assert.Equal(0, code);
        Assert.Contains("changed\n", output);
        Assert.Contains("No such file", output);
        Assert.Contains("/one\n1000\n/\n", output);
        Assert.DoesNotContain("\ne\n", output);
    }

    [Fact]
    public async Task RunStubsForMountsDoNotReachTheLayer()
    {
        // the base has no /proc, /dev or /sys: the runtime creates them to mount on, the layer must not keep them
        var (r, _) = await env.Build($"FROM {Busybox.Name}\nRUN --mount=type=tmpfs,target=/scratch/x echo hi > /made\n");
        var top = r.Image.Manifest.Layers[^1];
        var names = LayerNames(r.Image, top);
        Assert.Contains("made", names);
        Assert.DoesNotContain(names, n => n.StartsWith("proc", StringComparison.Ordinal) || n.StartsWith("sys", StringComparison.Ordinal)
            || n.StartsWith("dev", StringComparison.Ordinal) || n.StartsWith("scratch", StringComparison.Ordinal));
    }

    List<string> LayerNames(Images.LocalImage img, Images.Formats.Descriptor layer)
    {
        using var blob = env.Images.Content.OpenRead(layer.ParsedDigest);
        using var plain = Images.Layers.Decompression.Open(blob, Images.Formats.MediaTypes.LayerCompression(layer.MediaType));
        using var tr = new Images.Layers.TarReader(plain);
        var list = new List<string>();
        while (tr.Next() is { } e) list.Add(e.Name.TrimEnd('/'));
        return list;
    }

    [Fact]
    public async Task ExecFormShellFormAndShellInstruction()
    {
        var df = $"""
            FROM {Busybox.Name}
            RUN ["/bin/sh", "-c", "echo exec > /a"]
            SHELL ["/bin/sh", "-c", "echo shell-was-used > /b; eval \"$1\"", "sh"]
            RUN echo second > /c
            CMD echo from cmd
            """;
        var (r, _) = await env.Build(df);
        Assert.Equal(["/bin/sh", "-c", "echo shell-was-used > /b; eval \"$1\"", "sh", "echo from cmd"], r.Image.Config.Config!.Cmd!);
        var (code, output) = env.Run(r.Image, "/bin/cat", "/a", "/b", "/c");
        Assert.Equal(0, code);
        Assert.Equal("exec\nshell-was-used\nsecond\n", output);
    }

    [Fact]
    public async Task EntrypointResetsInheritedCmd()
    {
        var (b, _) = await env.Build($"FROM {Busybox.Name}\nCMD [\"base-cmd\"]\n", options: new BuildOptions { DockerfileText = "", Tags = ["localhost/withcmd:1"] });
        var (r, _) = await env.Build("FROM localhost/withcmd:1\nENTRYPOINT [\"/bin/true\"]\n");
        Assert.Null(r.Image.Config.Config!.Cmd);
        var (r2, _) = await env.Build("FROM localhost/withcmd:1\nCMD [\"x\"]\nENTRYPOINT [\"/bin/true\"]\n");
        Assert.Equal(["x"], r2.Image.Config.Config!.Cmd!);
    }

    [Fact]
    public async Task OnbuildTriggersRunInTheChildBuild()
    {
        await env.Build($"FROM {Busybox.Name}\nONBUILD RUN echo triggered > /trig\nONBUILD ENV FROM_TRIGGER=yes\n",
            options: new BuildOptions { DockerfileText = "", Tags = ["localhost/onbuild:1"] });
        var (r, _) = await env.Build("FROM localhost/onbuild:1\nRUN cat /trig > /copy\n");
        Assert.Contains("FROM_TRIGGER=yes", r.Image.Config.Config!.Env!);
        Assert.False(r.Image.Config.Config.Extra?.ContainsKey("OnBuild") ?? false);
        var (code, output) = env.Run(r.Image, "/bin/cat", "/copy");
        Assert.Equal(0, code);
        Assert.Equal("triggered\n", output);
    }

    [Fact]
    public async Task HeredocsInRunAndCopy()
    {
        var df = $$"""
            FROM {{Busybox.Name}}
            ARG NAME=world
            RUN <<EOF
            echo "hello $NAME" > /greeting
            echo second line >> /greeting
            EOF
            RUN <<'EOT'
            #!/bin/sh
            echo "script $0" > /script-out
            EOT
            RUN cat <<EOF > /fed
            fed to cat
            EOF
            COPY <<EOF /etc/config.txt
            name=${NAME}
            EOF
            COPY <<A <<B /multi/
            first
            A
            second
            B
            """;
        var (r, _) = await env.Build(df);
        var (code, output) = env.Run(r.Image, "/bin/cat", "/greeting", "/script-out", "/fed", "/etc/config.txt", "/multi/A", "/multi/B");
        Assert.Equal(0, code);
        Assert.Equal("hello world\nsecond line\nscript /dev/pipes/EOT\nfed to cat\nname=world\nfirst\nsecond\n", output);
    }

    [Fact]
    public async Task SyntaxErrorNamesFileLineAndColumn()
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(() => env.Build($"FROM {Busybox.Name}\nRUN true\nFROBNICATE x\n"));
        Assert.Matches(@"Dockerfile:3:\d+", e.Message);
    }
}
