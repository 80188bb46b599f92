using System.Diagnostics;
using Skiff.Build.Tests.Fixtures;
using Skiff.Images.Transfer;

namespace Skiff.Build.Tests;

/// <summary>A build on a real distribution: Debian bookworm (debootstrap --variant=minbase, cached as a tarball under
/// /var/tmp between runs) with bash as SHELL, useradd, --chown to the new user and USER/WORKDIR.</summary>
public sealed class DebianTests : IClassFixture<BuildEnv>
{
    const string CacheDir = "/var/tmp/skiff-test-build";
    static readonly string Tarball = Path.Combine(CacheDir, "debian-bookworm-minbase.tar");
    readonly BuildEnv env;
    public DebianTests(BuildEnv env) => this.env = env;

    static string Mirror()
    {
        foreach (var f in Directory.Exists("/etc/apt/sources.list.d") ? Directory.GetFiles("/etc/apt/sources.list.d") : [])
            foreach (var line in File.ReadLines(f))
                if (line.StartsWith("URIs:", StringComparison.Ordinal) && line.Contains("/debian", StringComparison.Ordinal) && !line.Contains("security"))
                    return line[5..].Trim().Split(' ')[0];
        return "http://deb.debian.org/debian";
    }

    static void Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var o = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({p.ExitCode}):\n{o}\n{err.Result}");
    }

    static string EnsureRootfsTarball()
    {
        Directory.CreateDirectory(CacheDir);
        using var l = Linux.Locks.Take(Path.Combine(CacheDir, "debian.lock"), exclusive: true);
        if (File.Exists(Tarball)) return Tarball;
        var dir = Path.Combine(CacheDir, "debootstrap-" + Guid.NewGuid().ToString("n")[..8]);
        try
        {
            Run("debootstrap", "--variant=minbase", "bookworm", dir, Mirror());
            Run("tar", "-C", dir, "--numeric-owner", "-cf", Tarball + ".tmp", ".");
            File.Move(Tarball + ".tmp", Tarball);
        }
        finally
        {
            foreach (var m in new[] { "proc", "sys", "dev/pts", "dev" }) Linux.Mounts.TryUnmount(Path.Combine(dir, m), Linux.Mounts.MNT_DETACH);
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
        return Tarball;
    }

    [Fact]
    public async Task BuildsAndRunsOnDebian()
    {
        using (var f = File.OpenRead(EnsureRootfsTarball()))
            new Importer(env.Images).ImportTarball(f, "localhost/debian:bookworm", new Images.Formats.ContainerConfig
            {
                Cmd = ["bash"], Env = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
            });
        var ctx = env.Context(("app/main.sh", "#!/bin/bash\necho main\n"), ("app/lib/util.sh", "echo util\n"));
        var df = """
            FROM localhost/debian:bookworm
            SHELL ["/bin/bash", "-o", "pipefail", "-c"]
            RUN useradd -m -u 1500 -s /bin/bash builder && dpkg-query -W -f='${Package}\n' | wc -l > /pkgcount
            COPY --chown=builder:builder --chmod=0755 app/ /home/builder/app/
            USER builder
            WORKDIR /home/builder/app
            RUN [[ -n "$BASH_VERSION" ]] && whoami > who && ./main.sh > out && rm lib/util.sh
            CMD ["./main.sh"]
            """;
        var (r, _) = await env.Build(df, ctx);
        var (code, o) = env.Run(r.Image);
        Assert.Equal(0, code);
        Assert.Equal("main\n", o);
        var (code2, o2) = env.Run(r.Image, "/bin/bash", "-c", "cat who out; stat -c '%U:%G %a' main.sh lib; ls lib | wc -l; test $(cat /pkgcount) -gt 50 && echo pkgs-ok");
        Assert.Equal(0, code2);
        Assert.Equal("builder\nmain\nbuilder:builder 755\nbuilder:builder 755\n0\npkgs-ok\n", o2);
    }
}
