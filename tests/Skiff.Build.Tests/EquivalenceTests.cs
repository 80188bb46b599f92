using System.Diagnostics;
using System.Text.Json;
using Skiff.Build.Tests.Fixtures;
using Skiff.Images.Archive;
using Skiff.Images.Formats;
using Skiff.Images.Layers;

namespace Skiff.Build.Tests;

/// <summary>The same Dockerfiles built by skiff and by Debian's `buildah bud --layers` (own storage root, chroot
/// isolation) from the same busybox base give the same file trees (path, type, mode, owner, size, link target) and the
/// same config fields.</summary>
public sealed class EquivalenceTests : IClassFixture<BuildEnv>, IDisposable
{
    readonly BuildEnv env;
    readonly string _broot, _brun;

    public EquivalenceTests(BuildEnv env)
    {
        this.env = env;
        _broot = Path.Combine(env.Root, "buildah", "root");
        _brun = Path.Combine(env.Root, "buildah", "run");
        var oci = Path.Combine(env.Root, "buildah", "base-oci");
        if (!Directory.Exists(oci))
        {
            OciLayoutWriter.Write(env.Images, [(env.Images.Resolve(Busybox.Name), Busybox.Name)], oci);
            Buildah("pull", "-q", $"oci:{oci}:test");
            var id = Buildah("images", "-q").Trim().Split('\n')[0];
            Buildah("tag", id, Busybox.Name);
        }
    }

    string Buildah(params string[] args) => BuildahIn(null, args);

    string BuildahIn(string? cwd, params string[] args)
    {
        var psi = new ProcessStartInfo("buildah") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = cwd ?? env.Root };
        foreach (var a in new[] { "--root", _broot, "--runroot", _brun, "--storage-driver", "overlay" }.Concat(args)) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var o = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"buildah {string.Join(' ', args)} failed: {o}\n{err.Result}");
        return o;
    }

    public void Dispose() { }

    /// <summary>Paths the two tools treat differently by design: runtime mount points, buildah's resolv.conf/hosts.</summary>
    static bool Skip(string p) => p is "/proc" or "/sys" or "/dev" or "/run" or "/etc/hosts" or "/etc/resolv.conf" or "/etc/hostname"
        || p.StartsWith("/proc/", StringComparison.Ordinal) || p.StartsWith("/sys/", StringComparison.Ordinal)
        || p.StartsWith("/dev/", StringComparison.Ordinal) || p.StartsWith("/run/", StringComparison.Ordinal);

    public static IEnumerable<object[]> Cases() =>
    [
        ["config", $"""
            FROM {Busybox.Name}
            ENV A=1 B="two words"
            LABEL x=y z="w v"
            EXPOSE 80 53/udp
            VOLUME /data
            STOPSIGNAL SIGQUIT
            WORKDIR /app
            USER app
            ENTRYPOINT ["/bin/echo"]
            CMD ["hi"]
            """],
        ["copy", $"""
            FROM {Busybox.Name}
            COPY dir /d
            COPY dir /e/
            COPY file.txt /f
            COPY file.txt /etc
            COPY g?.log /logs/
            COPY --chown=app:extra dir /owned
            COPY --chown=1234:5678 file.txt /num
            COPY --chmod=0751 file.txt /mode
            WORKDIR /w
            COPY file.txt .
            """],
        ["run", $"""
            FROM {Busybox.Name}
            RUN mkdir -p /a/b && echo x > /a/b/c && chmod 0700 /a/b && ln -s b/c /a/link && chown 1000:2000 /a/b/c
            RUN rm /etc/base-marker && rm -r /a/b && mkdir /a/b && touch /a/b/new
            USER app
            RUN echo mine > /tmp/mine
            """],
        ["multistage", $"""
            FROM {Busybox.Name} AS build
            RUN echo built > /artifact && chmod 0600 /artifact && chown 1000 /artifact
            FROM {Busybox.Name}
            COPY --from=build /artifact /out/artifact
            ADD archive.tar /unpacked/
            """],
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task SameTreeAndConfigAsBuildah(string name, string dockerfile)
    {
        var ctx = env.Context(("file.txt", "file\n"), ("dir/a.txt", "a\n"), ("dir/sub/b.txt", "b\n"), ("dir/link", "->a.txt"),
            ("g1.log", "1\n"), ("g2.log", "2\n"), ("t/inner/x.txt", "x\n"));
        using (var p = Process.Start("tar", ["-C", ctx, "-cf", Path.Combine(ctx, "archive.tar"), "--owner=7", "--group=8", "t"])!) p.WaitForExit();
        File.WriteAllText(Path.Combine(ctx, "Dockerfile"), dockerfile);
        var (r, _) = await env.Build(dockerfile, ctx);
        var tag = $"localhost/eq-{name}:{Guid.NewGuid().ToString("n")[..6]}";
        BuildahIn(ctx, "bud", "--layers", "--isolation", "chroot", "-q", "-t", tag, "-f", Path.Combine(ctx, "Dockerfile"), ctx);
        var bOci = Path.Combine(env.Root, "buildah", "out-" + name);
        Buildah("push", "-q", tag, $"oci:{bOci}:x");

        var mine = Path.Combine(env.Root, "cmp-skiff-" + name);
        var theirs = Path.Combine(env.Root, "cmp-buildah-" + name);
        Unpack(r.Image.Manifest.Layers.Select(l => (env.Images.Content.BlobPath(l.ParsedDigest), l.MediaType)), mine);
        var (bLayers, bConfig) = ReadOci(bOci);
        Unpack(bLayers, theirs);
        // buildah 1.28 creates a WORKDIR only when a later RUN/COPY uses it; BuildKit (and skiff) create it at once
        Func<string, bool> skip = name == "config" ? p => Skip(p) || p == "/app" : Skip;
        Assert.Equal(string.Join('\n', TreeListing.Of(theirs, skip)), string.Join('\n', TreeListing.Of(mine, skip)));

        var a = r.Image.Config.Config!;
        var b = bConfig.Config!;
        Assert.Equal(b.Env, a.Env);
        Assert.Equal(b.Cmd, a.Cmd);
        Assert.Equal(b.Entrypoint, a.Entrypoint);
        Assert.Equal(b.WorkingDir ?? "", a.WorkingDir ?? "");
        Assert.Equal(b.User ?? "", a.User ?? "");
        Assert.Equal(b.StopSignal, a.StopSignal);
        Assert.Equal(Keys(b.ExposedPorts), Keys(a.ExposedPorts));
        Assert.Equal(Keys(b.Volumes), Keys(a.Volumes));
        var bl = (b.Labels ?? []).Where(kv => !kv.Key.StartsWith("io.buildah", StringComparison.Ordinal)).OrderBy(kv => kv.Key).ToList();
        Assert.Equal(bl, (a.Labels ?? []).OrderBy(kv => kv.Key).ToList());
    }

    static string Keys(Dictionary<string, JsonElement>? d) => d is null ? "" : string.Join(',', d.Keys.Order(StringComparer.Ordinal));

    static (List<(string Path, string MediaType)>, ImageConfig) ReadOci(string dir)
    {
        var index = JsonSerializer.Deserialize(File.ReadAllBytes(Path.Combine(dir, "index.json")), WireJson.Default.Index)!;
        string Blob(string digest) => Path.Combine(dir, "blobs", "sha256", digest["sha256:".Length..]);
        var m = JsonSerializer.Deserialize(File.ReadAllBytes(Blob(index.Manifests[0].Digest)), WireJson.Default.Manifest)!;
        var c = JsonSerializer.Deserialize(File.ReadAllBytes(Blob(m.Config.Digest)), WireJson.Default.ImageConfig)!;
        return (m.Layers.Select(l => (Blob(l.Digest), l.MediaType)).ToList(), c);
    }

    static void Unpack(IEnumerable<(string Path, string MediaType)> layers, string dir)
    {
        Directory.CreateDirectory(dir);
        using var applier = new LayerApplier(dir, WhiteoutStyle.Delete);
        foreach (var (path, mt) in layers)
        {
            using var f = File.OpenRead(path);
            var comp = Decompression.Detect(path);
            using var plain = Decompression.Open(f, comp);
            applier.Apply(plain);
        }
    }
}
