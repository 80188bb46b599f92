using System.Text.Json;
using Skiff.Images.Tests.Services;

namespace Skiff.Images.Tests;

/// <summary>The `skiff` image verbs as a user runs them.</summary>
[Collection("registry")]
public class CliTests(RegistryFixture fx)
{
    readonly RegistryFixture _fx = fx;

    static string Rootfs(TempDir t, string marker) => Busybox.Rootfs(t.Sub("rootfs-" + marker), marker);

    [Fact]
    public void Import_images_tag_inspect_history_rmi_and_prune()
    {
        using var t = new TempDir("cli");
        var root = t.Sub("root");
        var id = SkiffCli.Ok(root, "import", "--change", "CMD [\"/bin/sh\"]", Rootfs(t, "one"), "localhost/one:1").Trim();
        Assert.StartsWith("sha256:", id);
        SkiffCli.Ok(root, "tag", "localhost/one:1", "localhost/one:2");

        var table = SkiffCli.Ok(root, "images");
        Assert.Contains("REPOSITORY", table);
        Assert.Contains("localhost/one", table);
        Assert.Equal([id[7..19]], SkiffCli.Ok(root, "images", "-q").Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var rows = SkiffCli.Ok(root, "images", "--format", "json").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["1", "2"], rows.Select(r => r.GetProperty("Tag").GetString()).Order());
        Assert.Contains("sha256:", SkiffCli.Ok(root, "images", "--digests"));
        // docker's --format: a table with docker's header names, and Go templates over the inspect JSON.
        var lines = SkiffCli.Ok(root, "images", "--format", "table {{.Repository}}\\t{{.Tag}}").Split('\n');
        Assert.Equal("REPOSITORY      TAG", lines[0]);
        Assert.Equal(["", "localhost/one   1", "localhost/one   2"], lines.Skip(1).Order());
        Assert.Equal("[/bin/sh] 2 has-1 [\"/bin/sh\"]\n", SkiffCli.Ok(root, "inspect", "-f",
            "{{.Config.Cmd}} {{len .RepoTags}} {{range .RepoTags}}{{if eq . \"localhost/one:1\"}}has-1{{end}}{{end}} {{json .Config.Cmd}}", "localhost/one:1"));
        var badField = SkiffCli.Run(root, "inspect", "-f", "{{.Nope}}", "localhost/one:1");
        Assert.Equal(1, badField.Exit);
        Assert.Contains("template parsing error: template: :1:2: executing \"\" at <.Nope>: map has no entry for key \"Nope\"", badField.Err);
        var badSyntax = SkiffCli.Run(root, "images", "--format", "{{.Repository");
        Assert.Contains("template parsing error: template: :1: unclosed action", badSyntax.Err);

        var inspect = JsonDocument.Parse(SkiffCli.Ok(root, "inspect", "localhost/one:1")).RootElement[0];
        Assert.Equal(id, inspect.GetProperty("Id").GetString());
        Assert.Equal(2, inspect.GetProperty("RepoTags").GetArrayLength());
        Assert.Equal("/bin/sh", inspect.GetProperty("Config").GetProperty("Cmd")[0].GetString());
        Assert.Contains("skiff import", SkiffCli.Ok(root, "history", "localhost/one:1"));

        var refused = SkiffCli.Run(root, "rmi", id[7..19]);
        Assert.NotEqual(0, refused.Exit);
        Assert.Contains("must be forced", refused.Err);
        Assert.Contains("Untagged: localhost/one:2", SkiffCli.Ok(root, "rmi", "localhost/one:2"));
        Assert.Contains("Deleted", SkiffCli.Ok(root, "rmi", "localhost/one:1"));
        Assert.Equal("", SkiffCli.Ok(root, "images", "-q"));
        Assert.Contains("Images", SkiffCli.Ok(root, "system", "df"));
        Assert.Contains("Total reclaimed space", SkiffCli.Ok(root, "image", "prune", "-a", "-f"));
        Assert.Empty(Directory.GetFiles(Path.Combine(root, "content", "blobs", "sha256")));
    }

    [Fact]
    public void Save_and_load_round_trip_through_files_and_directories()
    {
        using var t = new TempDir("cli");
        var a = t.Sub("a");
        var id = SkiffCli.Ok(a, "import", Rootfs(t, "saved"), "localhost/saved:1").Trim();
        var tar = Path.Combine(t.Path, "saved.tar");
        SkiffCli.Ok(a, "save", "-o", tar, "localhost/saved:1");
        var oci = Path.Combine(t.Path, "oci");
        SkiffCli.Ok(a, "save", "--format", "oci-dir", "-o", oci, "localhost/saved:1");
        var ociTar = Path.Combine(t.Path, "oci.tar");
        SkiffCli.Ok(a, "save", "--format", "oci-archive", "-o", ociTar, "localhost/saved:1");
        foreach (var input in new[] { tar, oci, ociTar })
        {
            var b = t.Sub("b-" + Guid.NewGuid().ToString("n")[..6]);
            Assert.Contains("Loaded image: localhost/saved:1", SkiffCli.Ok(b, "load", "-i", input));
            Assert.Equal(id, JsonDocument.Parse(SkiffCli.Ok(b, "inspect", "localhost/saved:1")).RootElement[0].GetProperty("Id").GetString());
        }
    }

    [Fact]
    public void Push_pull_login_logout_against_the_basic_auth_registry_with_plain_progress_when_piped()
    {
        using var t = new TempDir("cli");
        var env = new Dictionary<string, string> { ["DOCKER_CONFIG"] = t.Sub("docker") };
        var a = t.Sub("a");
        var name = $"{RegistryFixture.Basic}/skiff-test/cli-{Guid.NewGuid():n}"[..^24] + ":v1";
        SkiffCli.Ok(a, "import", Rootfs(t, "cli"), name);
        var anon = SkiffCli.Run(a, env, "push", name);
        Assert.Equal(1, anon.Exit);
        Assert.Contains("unauthorized", anon.Err);
        var bad = SkiffCli.Run(a, env, "login", "-u", "skiff", "-p", "wrong", RegistryFixture.Basic);
        Assert.NotEqual(0, bad.Exit);
        var ok = SkiffCli.Run(a, env, "login", "-u", "skiff", "-p", "skiffpass", RegistryFixture.Basic);
        Assert.True(ok.Exit == 0, ok.Err);
        Assert.Contains(RegistryFixture.Basic, File.ReadAllText(Path.Combine(env["DOCKER_CONFIG"], "config.json")));
        var push = SkiffCli.Run(a, env, "push", name);
        Assert.True(push.Exit == 0, push.Err);
        Assert.Contains("digest: sha256:", push.Out);
        var b = t.Sub("b");
        var pull = SkiffCli.Run(b, env, "pull", name);
        Assert.True(pull.Exit == 0, pull.Err);
        Assert.Contains("Pull complete", pull.Out);
        Assert.DoesNotContain("\x1b[", pull.Out); // piped: plain lines, no terminal escapes
        Assert.Contains("Removing login credentials", SkiffCli.Run(a, env, "logout", RegistryFixture.Basic).Out);
        Assert.Equal(1, SkiffCli.Run(t.Sub("c"), env, "pull", name).Exit);
    }

    [Fact]
    public void Bad_references_and_unknown_flags_are_clear_errors()
    {
        using var t = new TempDir("cli");
        var r = SkiffCli.Run(t.Path, "pull", "Not/Valid");
        Assert.Equal(1, r.Exit);
        Assert.Contains("invalid reference format", r.Err);
        var u = SkiffCli.Run(t.Path, "images", "--bogus");
        Assert.Equal(125, u.Exit);
        Assert.Contains("unknown flag", u.Err);
        var m = SkiffCli.Run(t.Path, "inspect", "localhost/missing:1");
        Assert.Equal(1, m.Exit);
        Assert.Contains("No such object: localhost/missing:1", m.Err); // docker's wording, now that inspect tries containers then images
    }
}
