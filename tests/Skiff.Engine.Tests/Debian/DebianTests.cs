namespace Skiff.Engine.Tests.Debian;

/// <summary>A real distribution image: Debian 12 minbase from debootstrap (<see cref="DebianRootfs"/>), imported with
/// `skiff import`, run with bash, apt, users from its /etc/passwd, -w, -e, and exec into a running one.</summary>
public sealed class DebianTests : IClassFixture<EngineRoot>
{
    const string Image = "localhost/debian:bookworm-lifecycle";
    readonly EngineRoot _e;

    public DebianTests(EngineRoot e)
    {
        _e = e;
        if (_e.Run("image", "inspect", Image).Exit != 0)
            _e.Ok("import", "--change", "CMD [\"bash\"]", DebianRootfs.Ensure(), Image);
    }

    [Fact]
    public void Bash_id_debian_version_and_apt_run_in_a_debian_container()
    {
        var r = _e.Run("run", "--rm", Image, "bash", "-c", "id; cat /etc/debian_version; apt-get --version | head -1; echo $BASH_VERSION");
        Assert.True(r.Exit == 0, r.Err);
        var lines = r.Out.Split('\n');
        Assert.Equal("uid=0(root) gid=0(root) groups=0(root)", lines[0]);
        Assert.Matches(@"^12\.\d+$", lines[1]);
        Assert.StartsWith("apt 2.6.", lines[2]);
        Assert.StartsWith("5.2.", lines[3]);
        Assert.Equal("", r.Err);

        // dpkg's database is there and consistent with the tree.
        var pkgs = _e.Ok("run", "--rm", Image, "dpkg-query", "-W", "-f", "${Package} ${Status}\n", "bash", "apt", "coreutils");
        Assert.Equal(3, pkgs.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.EndsWith("install ok installed")));
    }

    [Fact]
    public void User_workdir_and_env_flags()
    {
        Assert.Equal("uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)\n", _e.Ok("run", "--rm", "-u", "nobody", Image, "id"));
        Assert.Equal("uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)\n", _e.Ok("run", "--rm", "-u", "65534:65534", Image, "id"));
        Assert.Equal("uid=1(daemon) gid=1(daemon) groups=1(daemon)\n", _e.Ok("run", "--rm", "-u", "daemon", Image, "id"));
        Assert.Equal("/srv/work\n", _e.Ok("run", "--rm", "-w", "/srv/work", Image, "pwd"));
        Assert.Equal("/var/log/apt\n", _e.Ok("run", "--rm", "-w", "/var/log/apt", "-u", "nobody", Image, "pwd"));
        var env = _e.Ok("run", "--rm", "-e", "GREETING=hello debian", "-e", "HOME=/tmp", Image, "bash", "-c", "echo \"$GREETING\"; echo $HOME; echo $PATH");
        Assert.Equal(["hello debian", "/tmp", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], env.TrimEnd('\n').Split('\n'));
        // HOME from the image's /etc/passwd when not given.
        Assert.Equal("/nonexistent\n", _e.Ok("run", "--rm", "-u", "nobody", Image, "bash", "-c", "echo $HOME"));
        var failed = _e.Run("run", "--rm", "-u", "nosuchuser", Image, "id");
        Assert.NotEqual(0, failed.Exit);
        Assert.Contains("nosuchuser", failed.Err);
    }

    [Fact]
    public void Exec_into_a_running_debian_container()
    {
        var id = _e.Ok("run", "-d", "--name", "lifecycle-debian", Image, "sleep", "300").Trim();
        try
        {
            Assert.Equal("VERSION_CODENAME=bookworm\n", _e.Ok("exec", "lifecycle-debian", "bash", "-c", "grep ^VERSION_CODENAME= /etc/os-release"));
            Assert.Equal("65534\n", _e.Ok("exec", "-u", "nobody", "lifecycle-debian", "id", "-u"));
            Assert.Equal("/usr/share\n", _e.Ok("exec", "-w", "/usr/share", "lifecycle-debian", "pwd"));
            Assert.Equal("x y\n", _e.Ok("exec", "-e", "A=x y", "lifecycle-debian", "printenv", "A"));
            Assert.Equal(3, _e.Run("exec", "lifecycle-debian", "bash", "-c", "exit 3").Exit);
            // A file written by exec is seen by the container's own processes (same rootfs), and ps shows sleep as pid 1.
            _e.Ok("exec", "lifecycle-debian", "bash", "-c", "echo written > /tmp/marker");
            Assert.Equal("written\n", _e.Ok("exec", "lifecycle-debian", "cat", "/tmp/marker"));
            Assert.Equal("sleep\n", _e.Ok("exec", "lifecycle-debian", "cat", "/proc/1/comm"));
            Assert.Equal(127, _e.Run("exec", "lifecycle-debian", "no-such-command").Exit);
        }
        finally { _e.Run("rm", "-f", id); }
        Assert.Empty(_e.Traces(id));
    }
}
