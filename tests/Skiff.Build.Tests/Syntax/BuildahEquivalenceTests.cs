using System.Text.Json;
using Skiff.Build.Ignore;
using Skiff.Build.Syntax;

namespace Skiff.Build.Tests.Syntax;

/// <summary>Checks the parser, expander, ARG/ENV scoping and .dockerignore against what Debian's buildah produces for
/// the same Dockerfile and context (FROM scratch, no RUN, so nothing but the front end matters).</summary>
public sealed class BuildahEquivalenceTests : IDisposable
{
    private readonly BuildahRunner? _buildah = BuildahRunner.Available ? new BuildahRunner() : null;

    public void Dispose() => _buildah?.Dispose();

    // Not compared here: "ARG A=1 B=${A}b" on one line. BuildKit (docker) sets each ARG before expanding the next
    // (B=2b); buildah 1.28's imagebuilder expands the whole line first (B=b). We follow BuildKit
    // (StageScopeTests.ArgPairsExpandInOrder).
    private const string ConfigDockerfile = """
        ARG G=global
        ARG OTHER=x
        FROM scratch
        ARG G
        ARG A=1
        ARG B=${A}b
        ENV abc=hello
        ENV abc=bye def=$abc
        ENV Q="quoted $A" S='single $A' E=\$A L=a\ b M=${UNSET:-dflt} N=${A:+alt} P=pre${G}post
        ENV legacy value with  spaces $A
        LABEL "com.example.x"="y z" multi="a \
        b" fromarg=$G b=$B
        WORKDIR /w/$A
        WORKDIR sub
        USER u${A}:g
        EXPOSE 80 8080/udp
        STOPSIGNAL SIG${SIGNAME:-TERM}
        VOLUME /v1 "/v2"
        VOLUME ["/v3/$A"]
        CMD ["a", "$A"]
        """;

    [Fact]
    public void ConfigMatchesBuildah()
    {
        if (_buildah is null) return;
        var buildArgs = new Dictionary<string, string> { ["A"] = "2", ["G"] = "cli" };
        var cfg = _buildah.Config(_buildah.Build(ConfigDockerfile, buildArgs: buildArgs));

        var d = DockerfileParser.Parse(ConfigDockerfile, "Dockerfile");
        var plan = BuildPlanner.Plan(d, new BuildOptions { BuildArgs = buildArgs });
        var scope = new StageScope(plan, []);
        var labels = new Dictionary<string, string>();
        var ports = new List<string>();
        var volumes = new List<string>();
        string workdir = "/", user = "", stopSignal = "";
        foreach (var inst in plan.Target.Stage.Instructions)
        {
            switch (inst)
            {
                case ArgInstruction a: scope.Apply(a); break;
                case EnvInstruction e: scope.Apply(e); break;
                case LabelInstruction l:
                    foreach (var p in l.Pairs) labels[scope.Expand(p.Key, l.Position)] = scope.Expand(p.Value, l.Position);
                    break;
                case WorkdirInstruction w:
                    string path = scope.Expand(w.Path, w.Position);
                    workdir = path.StartsWith('/') ? path : workdir.TrimEnd('/') + "/" + path;
                    break;
                case UserInstruction u: user = scope.Expand(u.User, u.Position); break;
                case ExposeInstruction x: foreach (var p in x.Ports) ports.AddRange(scope.ExpandWords(p, x.Position)); break;
                case StopSignalInstruction s: stopSignal = scope.Expand(s.Signal, s.Position); break;
                case VolumeInstruction v: foreach (var p in v.Paths) volumes.Add(scope.Expand(p, v.Position)); break;
            }
        }
        var cmd = Assert.IsType<ExecForm>(((CmdInstruction)plan.Target.Stage.Instructions[^1]).Command);

        var env = cfg.GetProperty("Env").EnumerateArray().Select(e => e.GetString()!).Where(e => !e.StartsWith("PATH=", StringComparison.Ordinal)).ToList();
        Assert.Equal(scope.ConfigEnv.Select(k => $"{k.Key}={k.Value}"), env);
        Assert.Equal(labels.OrderBy(k => k.Key), cfg.GetProperty("Labels").EnumerateObject()
            .Where(p => !p.Name.StartsWith("io.buildah", StringComparison.Ordinal))
            .Select(p => new KeyValuePair<string, string>(p.Name, p.Value.GetString()!)).OrderBy(k => k.Key));
        Assert.Equal(workdir, cfg.GetProperty("WorkingDir").GetString());
        Assert.Equal(user, cfg.GetProperty("User").GetString());
        Assert.Equal(stopSignal, cfg.GetProperty("StopSignal").GetString());
        Assert.Equal(ports.Select(p => p.Contains('/') ? p : p + "/tcp").Order(), cfg.GetProperty("ExposedPorts").EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(volumes.Order(), cfg.GetProperty("Volumes").EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(cmd.Arguments, cfg.GetProperty("Cmd").EnumerateArray().Select(e => e.GetString()));

        // Spot checks that the comparison is not vacuous.
        Assert.Contains("def=hello", env);
        Assert.Contains("Q=quoted 2", env);
        Assert.Contains("S=single $A", env);
        Assert.Contains("legacy=value with  spaces 2", env);
        Assert.Equal("/w/2/sub", workdir);
        Assert.Equal("SIGTERM", stopSignal);
        Assert.Empty(plan.UnusedBuildArgs); // A and G are both declared
    }

    public static TheoryData<string, string[]> IgnoreCases => new()
    {
        { "a\n!a/b/x.txt", [] },
        { "*.md\n!README*.md\nREADME-secret.md", [] },
        { "**/*.txt\n!keep/**", [] },
        { "*\n!src\nsrc/**/*.o", [] },
        { "# comment\n*/temp*\n/docs/\nsrc/[ab].c\n!docs/keep.md", [] },
    };

    [Theory]
    [MemberData(nameof(IgnoreCases))]
    public void DockerignoreMatchesBuildah(string ignore, string[] _)
    {
        if (_buildah is null) return;
        var files = new Dictionary<string, string>
        {
            ["a/b/x.txt"] = "1", ["a/y.md"] = "2", ["README.md"] = "3", ["README-secret.md"] = "4", ["CHANGES.md"] = "5",
            ["keep/n.txt"] = "6", ["keep/deep/m.txt"] = "7", ["src/a.c"] = "8", ["src/b.c"] = "9", ["src/c.c"] = "10",
            ["src/sub/x.o"] = "11", ["src/x.o"] = "12", ["docs/keep.md"] = "13", ["docs/other.md"] = "14",
            ["d/temporary.txt"] = "15", ["top.txt"] = "16",
            [".dockerignore"] = ignore,
        };
        var image = _buildah.Build("FROM scratch\nCOPY . /\n", files);
        var theirs = _buildah.Files(image).Where(f => f is not ("Dockerfile" or ".dockerignore")).ToList();

        string ctx = Directory.CreateTempSubdirectory("build-parser-ctx-").FullName;
        try
        {
            foreach (var (p, c) in files)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(ctx, p))!);
                File.WriteAllText(Path.Combine(ctx, p), c);
            }
            var ours = ContextWalk.Enumerate(ctx, IgnoreMatcher.Parse(ignore))
                .Select(e => e.Path + (e.IsDirectory ? "/" : ""))
                .Where(f => f is not ("Dockerfile" or ".dockerignore"))
                .Order(StringComparer.Ordinal).ToList();
            Assert.Equal(theirs, ours);
        }
        finally { Directory.Delete(ctx, true); }
    }
}
