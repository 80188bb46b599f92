using System.Net.Sockets;

namespace Skiff.Engine.Tests;

/// <summary>`run --pull missing|never|always` against Debian's docker-registry on 127.0.0.1:5000 (tests/setup/registry.sh;
/// started here when it is not up): a pushed image removed locally is pulled by `missing`, `never` refuses an absent
/// image with docker's message and 125, `always` fetches a tag that moved to a new digest.</summary>
public sealed class PullPolicyTests : IClassFixture<EngineRoot>
{
    const string Registry = "127.0.0.1:5000";
    readonly EngineRoot _e;
    readonly string _tag = Guid.NewGuid().ToString("n")[..8];

    public PullPolicyTests(EngineRoot e)
    {
        _e = e;
        if (!Listening(5000))
        {
            var r = RunProcess("/bin/sh", Path.Combine(EngineRoot.RepoRoot, "tests", "setup", "registry.sh"), "start");
            if (r.Exit != 0 || !Listening(5000)) throw new InvalidOperationException($"the registry on {Registry} is not running and could not be started: {r.Out}; run tests/setup/registry.sh start");
        }
    }

    static bool Listening(int port)
    {
        try { using var c = new TcpClient(); c.Connect("127.0.0.1", port); return true; }
        catch (SocketException) { return false; }
    }

    static (int Exit, string Out) RunProcess(string file, params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = System.Diagnostics.Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var o = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, o + err.Result);
    }

    /// <summary>Imports a busybox image whose /etc/version says <paramref name="version"/> as <paramref name="reference"/>.</summary>
    void ImportVersion(string reference, string version)
    {
        var dir = Path.Combine(_e.DataRoot, $"rootfs-{_tag}-{version}");
        Busybox.Rootfs(dir);
        File.WriteAllText(Path.Combine(dir, "etc", "version"), version + "\n");
        _e.Ok("import", "--change", "ENV PATH=/bin", dir, reference);
        Directory.Delete(dir, recursive: true);
    }

    /// <summary>The digest the registry has for the tag (what a pull of it must end up with).</summary>
    static string RegistryDigest(string repo, string tag)
    {
        using var http = new HttpClient();
        using var req = new HttpRequestMessage(HttpMethod.Head, $"http://{Registry}/v2/{repo}/manifests/{tag}");
        foreach (var a in new[] { "application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json",
                     "application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json" })
            req.Headers.Accept.Add(new System.Net.Http.Headers.MediaTypeWithQualityHeaderValue(a));
        using var resp = http.Send(req);
        resp.EnsureSuccessStatusCode();
        return resp.Headers.GetValues("Docker-Content-Digest").Single();
    }

    string RepoDigest(string reference) => _e.Ok("image", "inspect", "--format", "{{index .RepoDigests 0}}", reference).Trim();

    [Fact]
    public void Missing_pulls_a_pushed_image_that_was_removed_locally()
    {
        var repo = $"lifecycle-pull-{_tag}";
        var image = $"{Registry}/{repo}:v1";
        ImportVersion(image, "one");
        _e.Ok("push", "-q", image);
        _e.Ok("rmi", image);
        Assert.NotEqual(0, _e.Run("image", "inspect", image).Exit);

        var r = _e.Run("run", "--rm", "--pull", "missing", image, "cat", "/etc/version");
        Assert.True(r.Exit == 0, r.Err);
        Assert.Equal("one\n", r.Out);
        Assert.Contains($"Unable to find image '{image}' locally", r.Err);
        Assert.Equal($"{Registry}/{repo}@{RegistryDigest(repo, "v1")}", RepoDigest(image));

        // Now it is local: missing (the default) does not pull again.
        r = _e.Run("run", "--rm", image, "cat", "/etc/version");
        Assert.Equal(0, r.Exit);
        Assert.Equal("one\n", r.Out);
        Assert.DoesNotContain("Unable to find image", r.Err);
    }

    [Fact]
    public void Never_refuses_an_absent_image_with_dockers_message_and_125()
    {
        var image = $"{Registry}/lifecycle-absent-{_tag}";
        var r = _e.Run("run", "--rm", "--pull", "never", image, "true");
        Assert.Equal(125, r.Exit);
        Assert.Equal($"skiff: Error response from daemon: No such image: {image}:latest\n", r.Err);
        Assert.DoesNotContain("Unable to find image", r.Err);
        Assert.Empty(_e.Ok("ps", "-aq", "--filter", $"ancestor={image}"));

        // missing of an image the registry does not have either: docker's "Unable to find" then a pull error, 125.
        r = _e.Run("run", "--rm", "--pull", "missing", image, "true");
        Assert.Equal(125, r.Exit);
        Assert.StartsWith($"Unable to find image '{image}:latest' locally\n", r.Err);
        Assert.EndsWith($"skiff: Error response from daemon: manifest for {image}:latest not found: manifest unknown: manifest unknown\n", r.Err);

        r = _e.Run("run", "--rm", "--pull", "sometimes", EngineRoot.Image, "true");
        Assert.Equal(125, r.Exit);
        Assert.Contains("invalid pull option: 'sometimes'", r.Err);
    }

    [Fact]
    public void Always_pulls_a_tag_that_moved_to_a_new_digest()
    {
        var repo = $"lifecycle-always-{_tag}";
        var image = $"{Registry}/{repo}:v1";
        ImportVersion(image, "one");
        _e.Ok("push", "-q", image);
        var first = RegistryDigest(repo, "v1");

        // Someone else moves the tag: another engine root pushes different content under the same name.
        using (var other = new EngineRoot())
        {
            var dir = Path.Combine(other.DataRoot, "rootfs-two");
            Busybox.Rootfs(dir);
            File.WriteAllText(Path.Combine(dir, "etc", "version"), "two\n");
            other.Ok("import", "--change", "ENV PATH=/bin", dir, image);
            other.Ok("push", "-q", image);
        }
        var second = RegistryDigest(repo, "v1");
        Assert.NotEqual(first, second);

        Assert.Equal("one\n", _e.Ok("run", "--rm", image, "cat", "/etc/version"));            // missing: the local one
        Assert.Equal("one\n", _e.Ok("run", "--rm", "--pull", "never", image, "cat", "/etc/version"));
        var r = _e.Run("run", "--rm", "--pull", "always", image, "cat", "/etc/version");
        Assert.True(r.Exit == 0, r.Err);
        Assert.Equal("two\n", r.Out);
        Assert.Equal($"{Registry}/{repo}@{second}", RepoDigest(image));
        Assert.Equal("two\n", _e.Ok("run", "--rm", "--pull", "never", image, "cat", "/etc/version"));
    }
}
