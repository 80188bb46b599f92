using Skiff.Build.Execution;
using Skiff.Build.Tests.Fixtures;

namespace Skiff.Build.Tests;

/// <summary>COPY/ADD semantics as docker's: directory contents, trailing slashes, globs, --chown/--chmod, --parents,
/// --exclude, symlinks, archives, URLs, and refusal of sources outside the context.</summary>
public sealed class CopyTests : IClassFixture<BuildEnv>
{
    readonly BuildEnv env;
    public CopyTests(BuildEnv env) => this.env = env;

    string Ctx() => env.Context(
        ("file.txt", "file\n"), ("dir/a.txt", "a\n"), ("dir/sub/b.txt", "b\n"), ("dir/link", "->a.txt"),
        ("g1.log", "1\n"), ("g2.log", "2\n"), ("other.md", "md\n"), ("x/y/z.txt", "z\n"));

    async Task<string> Sh(string dockerfile, string command, string? ctx = null)
    {
        var (r, _) = await env.Build(dockerfile, ctx ?? Ctx());
        var (code, output) = env.Run(r.Image, "/bin/sh", "-c", command);
        Assert.True(code == 0, output);
        return output;
    }

    [Fact]
    public async Task DirectoryContentsNotTheDirectory()
    {
        var o = await Sh($"FROM {Busybox.Name}\nCOPY dir /d\nCOPY dir /e/\n", "ls -A /d /e/sub; readlink /d/link");
        Assert.Equal("/d:\na.txt\nlink\nsub\n\n/e/sub:\nb.txt\na.txt\n", o);
    }

    [Fact]
    public async Task FileToNameToDirAndIntoExistingDir()
    {
        var o = await Sh($"FROM {Busybox.Name}\nCOPY file.txt /renamed\nCOPY file.txt /newdir/\nCOPY file.txt /etc\nWORKDIR /w\nCOPY file.txt .\nCOPY file.txt rel\n",
            "cat /renamed /newdir/file.txt /etc/file.txt /w/file.txt /w/rel");
        Assert.Equal("file\nfile\nfile\nfile\nfile\n", o);
    }

    [Fact]
    public async Task GlobsAndSeveralSourcesNeedADirectory()
    {
        var o = await Sh($"FROM {Busybox.Name}\nCOPY g?.log *.md /logs/\nCOPY dir/*/b.txt /b/\n", "ls /logs /b");
        Assert.Equal("/b:\nb.txt\n\n/logs:\ng1.log\ng2.log\nother.md\n", o);
        var e = await Assert.ThrowsAsync<BuildException>(() => env.Build($"FROM {Busybox.Name}\nCOPY g1.log g2.log /notadir\n", Ctx()));
        Assert.Contains("must be a directory and end with a /", e.Message);
        var e2 = await Assert.ThrowsAsync<BuildException>(() => env.Build($"FROM {Busybox.Name}\nCOPY *.nothing /x/\n", Ctx()));
        Assert.Contains("matches nothing", e2.Message);
    }

    [Fact]
    public async Task ChownByNameAndNumberAndChmod()
    {
        var o = await Sh($"FROM {Busybox.Name}\nCOPY --chown=app:extra dir /owned\nCOPY --chown=1234 file.txt /num\nCOPY --chmod=0751 file.txt /mode\nCOPY file.txt /plain\n",
            "stat -c '%n %u:%g %a' /owned /owned/a.txt /owned/sub/b.txt /num /mode /plain");
        Assert.Equal("/owned 1000:2000 755\n/owned/a.txt 1000:2000 644\n/owned/sub/b.txt 1000:2000 644\n/num 1234:1234 644\n/mode 0:0 751\n/plain 0:0 644\n", o);
        var e = await Assert.ThrowsAsync<BuildException>(() => env.Build($"FROM {Busybox.Name}\nCOPY --chown=nosuchuser file.txt /x\n", Ctx()));
        Assert.Contains("nosuchuser", e.Message);
    }

    [Fact]
    public async Task ParentsAndExclude()
    {
        var o = await Sh($"FROM {Busybox.Name}\nCOPY --parents x/y/z.txt dir/sub/b.txt /p/\nCOPY --exclude=*.log --exclude=dir/sub . /ex/\n",
            "find /p /ex | sort");
        Assert.Contains("/p/x/y/z.txt\n", o);
        Assert.Contains("/p/dir/sub/b.txt\n", o);
        Assert.DoesNotContain(".log", o);
        Assert.DoesNotContain("/ex/dir/sub", o);
        Assert.Contains("/ex/dir/a.txt\n", o);
        Assert.Contains("/ex/other.md\n", o);
    }

    [Fact]
    public async Task SourcesOutsideTheContextAreRefused()
    {
        var ctx = env.Context(("in.txt", "in\n"), ("escape", "->/etc/passwd"), ("up", "->../.."), ("inside", "->in.txt"));
        var e1 = await Assert.ThrowsAsync<BuildException>(() => env.Build($"FROM {Busybox.Name}\nCOPY ../x /x\n", ctx));
        Assert.Contains("outside the build context", e1.Message);
        var e2 = await Assert.ThrowsAsync<BuildException>(() => env.Build($"FROM {Busybox.Name}\nCOPY escape /x\n", ctx));
        Assert.Contains("outside the build context", e2.Message);
        var e3 = await Assert.ThrowsAsync<BuildException>(() => env.Build($"FROM {Busybox.Name}\nCOPY up/etc/passwd /x\n", ctx));
        Assert.Contains("outside the build context", e3.Message);
        var e4 = await Assert.ThrowsAsync<BuildException>(() => env.Build($"FROM {Busybox.Name}\nCOPY missing.txt /x\n", ctx));
        Assert.Contains("\"missing.txt\" not found", e4.Message);
        Assert.Contains("Dockerfile:2", e4.Message);
        // a symlink that stays inside is followed for a top-level source
        var o = await Sh($"FROM {Busybox.Name}\nCOPY inside /x\n", "cat /x", ctx);
        Assert.Equal("in\n", o);
    }

    [Fact]
    public async Task DockerignoreExcludesWithExceptions()
    {
        var ctx = env.Context(("keep.txt", "k\n"), ("secret.env", "s\n"), ("logs/a.log", "a\n"), ("logs/important.log", "i\n"),
            ("deep/x/tmp.cache", "c\n"), (".dockerignore", "*.env\nlogs\n!logs/important.log\n**/*.cache\n"));
        var o = await Sh($"FROM {Busybox.Name}\nCOPY . /c/\n", "find /c -type f | sort", ctx);
        Assert.Equal("/c/.dockerignore\n/c/keep.txt\n/c/logs/important.log\n", o);
        var e = await Assert.ThrowsAsync<BuildException>(() => env.Build($"FROM {Busybox.Name}\nCOPY secret.env /x\n", ctx));
        Assert.Contains("excluded by .dockerignore", e.Message);
    }

    [Fact]
    public async Task AddUnpacksLocalArchivesOfEveryCompression()
    {
        var ctx = env.Context(("src/t/one.txt", "one\n"), ("src/t/two/three.txt", "three\n"));
        foreach (var (name, flag) in new[] { ("a.tar", ""), ("a.tar.gz", "-z"), ("a.tar.bz2", "-j"), ("a.tar.xz", "-J"), ("a.tar.zst", "--zstd") })
        {
            var args = new List<string> { "-C", Path.Combine(ctx, "src"), "-cf", Path.Combine(ctx, name) };
            if (flag.Length > 0) args.Insert(0, flag);
            args.Add("t");
            using var p = System.Diagnostics.Process.Start("tar", args)!;
            p.WaitForExit();
            Assert.Equal(0, p.ExitCode);
        }
        File.WriteAllText(Path.Combine(ctx, "plain.gz.txt"), "not an archive\n");
        var o = await Sh($"FROM {Busybox.Name}\nADD a.tar /u/tar/\nADD a.tar.gz /u/gz\nADD a.tar.bz2 /u/bz2\nADD a.tar.xz /u/xz\nADD a.tar.zst /u/zst\nADD plain.gz.txt /u/\n",
            "cat /u/*/t/two/three.txt; cat /u/plain.gz.txt", ctx);
        Assert.Equal("three\nthree\nthree\nthree\nthree\nnot an archive\n", o);
    }

    [Fact]
    public async Task AddUrlFromALocalServer()
    {
        using var server = new LocalHttp("payload from http\n");
        var (r, _) = await env.Build($"FROM {Busybox.Name}\nADD {server.Url}/files/data.txt /downloads/\n", env.Context());
        var (code, o) = env.Run(r.Image, "/bin/sh", "-c", "cat /downloads/data.txt; stat -c %a /downloads/data.txt");
        Assert.Equal(0, code);
        Assert.Equal("payload from http\n600\n", o);
        // same content → cached; new content → rebuilt
        var (_, p2) = await env.Build($"FROM {Busybox.Name}\nADD {server.Url}/files/data.txt /downloads/\n", env.Context());
        Assert.Single(p2.CachedSteps);
        server.Body = "changed\n";
        var (_, p3) = await env.Build($"FROM {Busybox.Name}\nADD {server.Url}/files/data.txt /downloads/\n", env.Context());
        Assert.Empty(p3.CachedSteps);
    }
}
