namespace Skiff.Engine.Tests;

/// <summary>`skiff run` end to end: real containers through skiff-shim and oar, checked from inside the container.</summary>
public sealed class RunTests : IClassFixture<EngineRoot>
{
    readonly EngineRoot _e;
    public RunTests(EngineRoot e) => _e = e;

    static string Status(string text, string field)
        => text.Split('\n').First(l => l.StartsWith(field + ":", StringComparison.Ordinal))[(field.Length + 1)..].Trim();

    [Fact]
    public void Run_rm_prints_the_greeting_exits_0_and_leaves_nothing()
    {
        var r = _e.Run("run", "--rm", "--name", "engine-hello", EngineRoot.Image, "echo", "hello from skiff");
        Assert.True(r.Exit == 0, r.Err);
        Assert.Equal("hello from skiff\n", r.Out);
        Assert.DoesNotContain("engine-hello", _e.Ok("ps", "-a"));
        Assert.DoesNotContain(Directory.GetDirectories(Path.Combine(_e.DataRoot, "containers")), d => Path.GetFileName(d).Length == 64);
    }

    [Fact]
    public void Exit_codes_are_docker_s()
    {
        // Other tests of this class share the engine root and may leave containers of their own: compare, not expect empty.
        var before = _e.Ok("ps", "-aq");
        Assert.Equal(3, _e.Run("run", "--rm", EngineRoot.Image, "sh", "-c", "exit 3").Exit);
        var notFound = _e.Run("run", "--rm", EngineRoot.Image, "/no/such/binary");
        Assert.Equal(127, notFound.Exit);
        Assert.Contains("/no/such/binary", notFound.Err);
        var notExec = _e.Run("run", "--rm", EngineRoot.Image, "/etc/not-executable");
        Assert.Equal(126, notExec.Exit);
        var noImage = _e.Run("run", "--rm", "--pull", "never", "localhost/no-such-image:1", "true");
        Assert.Equal(125, noImage.Exit);
        Assert.Contains("No such image: localhost/no-such-image:1", noImage.Err);
        var after = _e.Ok("ps", "-aq").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(after, id => Assert.Contains(id, before)); // nothing of these runs is left
    }

    [Fact]
    public void Env_workdir_hostname_and_hosts_file()
    {
        var envFile = Path.Combine(_e.DataRoot, "env.list");
        File.WriteAllText(envFile, "# a comment\nFROM_FILE=yes\nOVERRIDE=file\n");
        var r = _e.Run("run", "--rm", "-e", "A=1", "--env-file", envFile, "-e", "OVERRIDE=flag", "-w", "/made/for/me",
            "--hostname", "engine-host", EngineRoot.Image, "sh", "-c", "env; pwd; hostname; cat /etc/hostname; cat /etc/hosts");
        Assert.True(r.Exit == 0, r.Err);
        var lines = r.Out.Split('\n');
        Assert.Contains("A=1", lines);
        Assert.Contains("FROM_FILE=yes", lines);
        Assert.Contains("OVERRIDE=flag", lines);
        Assert.DoesNotContain("OVERRIDE=file", lines);
        Assert.Contains("PATH=/bin", lines);
        Assert.Contains("HOSTNAME=engine-host", lines);
        Assert.Contains("HOME=/root", lines);
        Assert.Contains("/made/for/me", lines);
        Assert.Equal(2, lines.Count(l => l == "engine-host"));
        Assert.Contains(lines, l => l.StartsWith("127.0.0.1") && l.Contains("localhost"));
    }

    [Fact]
    public void Default_hostname_is_the_short_id()
    {
        var id = _e.Ok("run", "-d", EngineRoot.Image, "sh", "-c", "hostname; sleep 30").Trim();
        Assert.Equal(64, id.Length);
        var j = _e.Inspect(id);
        Assert.Equal(id[..12], j.GetProperty("Config").GetProperty("Hostname").GetString());
        _e.Ok("rm", "-f", id);
    }

    [Fact]
    public void User_from_flag_and_from_the_image_s_passwd_and_group()
    {
        Assert.Equal("uid=1000(alice) gid=1000(alice) groups=100(users)\n", _e.Ok("run", "--rm", "-u", "alice", EngineRoot.Image, "id"));
        Assert.Equal("uid=1234 gid=5678\n", _e.Ok("run", "--rm", "-u", "1234:5678", EngineRoot.Image, "id"));
        Assert.Equal("uid=0(root) gid=0(root) groups=100(users)\n", _e.Ok("run", "--rm", "--group-add", "users", EngineRoot.Image, "id"));
        var r = _e.Ok("run", "--rm", EngineRoot.UserImage, "sh", "-c", "id -u; pwd; echo $HOME");
        Assert.Equal("1000\n/home/alice\n/home/alice\n", r);
        var bad = _e.Run("run", "--rm", "-u", "mallory", EngineRoot.Image, "id");
        Assert.NotEqual(0, bad.Exit);
        Assert.Contains("unable to find user mallory", bad.Err);
    }

    [Fact]
    public void Capabilities_seccomp_and_no_new_privileges_as_docker()
    {
        const string docker = "00000000a80425fb";
        var d = _e.Ok("run", "--rm", EngineRoot.Image, "cat", "/proc/self/status");
        Assert.Equal(docker, Status(d, "CapEff"));
        Assert.Equal(docker, Status(d, "CapBnd"));
        Assert.Equal("2", Status(d, "Seccomp"));
        Assert.Equal("0", Status(d, "NoNewPrivs"));

        var dropped = _e.Ok("run", "--rm", "--cap-drop", "ALL", "--cap-add", "NET_ADMIN", "--security-opt", "no-new-privileges", EngineRoot.Image, "cat", "/proc/self/status");
        Assert.Equal("0000000000001000", Status(dropped, "CapEff"));
        Assert.Equal("1", Status(dropped, "NoNewPrivs"));

        var minus = _e.Ok("run", "--rm", "--cap-drop", "chown", EngineRoot.Image, "cat", "/proc/self/status");
        Assert.Equal("00000000a80425fa", Status(minus, "CapEff"));

        var priv = _e.Ok("run", "--rm", "--privileged", EngineRoot.Image, "cat", "/proc/self/status");
        Assert.Equal("0", Status(priv, "Seccomp"));
        Assert.NotEqual(docker, Status(priv, "CapEff"));
        Assert.Equal(Status(File.ReadAllText("/proc/self/status"), "CapBnd"), Status(priv, "CapBnd"));

        var unconfined = _e.Ok("run", "--rm", "--security-opt", "seccomp=unconfined", EngineRoot.Image, "cat", "/proc/self/status");
        Assert.Equal("0", Status(unconfined, "Seccomp"));
    }

    [Fact]
    public void Masked_and_read_only_proc_paths()
    {
        var r = _e.Run("run", "--rm", EngineRoot.Image, "sh", "-c", "cat /proc/kcore | wc -c");
        Assert.Equal("0\n", r.Out);
        var ro = _e.Run("run", "--rm", EngineRoot.Image, "sh", "-c", "echo 1 > /proc/sys/kernel/domainname");
        Assert.NotEqual(0, ro.Exit);
    }

    [Fact]
    public void Read_only_root_and_tmpfs()
    {
        var r = _e.Run("run", "--rm", "--read-only", "--tmpfs", "/scratch", EngineRoot.Image, "sh", "-c", "touch /scratch/ok && echo tmpfs-ok; touch /nope");
        Assert.Contains("tmpfs-ok", r.Out);
        Assert.Contains("Read-only file system", r.Err);
        Assert.NotEqual(0, r.Exit);
        Assert.Equal(0, _e.Run("run", "--rm", EngineRoot.Image, "touch", "/writable").Exit);
    }

    [Fact]
    public void Binds_named_volumes_and_image_volumes()
    {
        var host = Path.Combine(_e.DataRoot, "bind-src");
        Directory.CreateDirectory(host);
        File.WriteAllText(Path.Combine(host, "in"), "from host\n");
        Assert.Equal("from host\n", _e.Ok("run", "--rm", "-v", $"{host}:/mnt/h:ro", EngineRoot.Image, "cat", "/mnt/h/in"));
        Assert.NotEqual(0, _e.Run("run", "--rm", "-v", $"{host}:/mnt/h:ro", EngineRoot.Image, "touch", "/mnt/h/x").Exit);
        _e.Ok("run", "--rm", "--mount", $"type=bind,source={host},target=/mnt/w", EngineRoot.Image, "sh", "-c", "echo back > /mnt/w/out");
        Assert.Equal("back\n", File.ReadAllText(Path.Combine(host, "out")));

        _e.Ok("run", "--rm", "-v", "engine-vol:/v", EngineRoot.Image, "sh", "-c", "echo kept > /v/file");
        Assert.Equal("kept\n", _e.Ok("run", "--rm", "--mount", "type=volume,source=engine-vol,target=/w", EngineRoot.Image, "cat", "/w/file"));
        Assert.True(File.Exists(Path.Combine(_e.DataRoot, "volumes", "engine-vol", "_data", "file")));

        // The image's VOLUME /data becomes an anonymous volume seeded with the image's files; rm -v removes it.
        var id = _e.Ok("create", EngineRoot.VolumeImage, "cat", "/data/seed").Trim();
        var mounts = _e.Inspect(id).GetProperty("Mounts");
        Assert.Equal(1, mounts.GetArrayLength());
        Assert.Equal("volume", mounts[0].GetProperty("Type").GetString());
        Assert.Equal("/data", mounts[0].GetProperty("Destination").GetString());
        var vol = mounts[0].GetProperty("Name").GetString()!;
        _e.Ok("start", id);
        Assert.Equal("0\n", _e.Ok("wait", id));
        Assert.Equal("seeded\n", File.ReadAllText(Path.Combine(_e.DataRoot, "volumes", vol, "_data", "seed")));
        _e.Ok("rm", "-v", id);
        Assert.False(Directory.Exists(Path.Combine(_e.DataRoot, "volumes", vol)));
    }

    [Fact]
    public void Entrypoint_labels_init_and_stdin()
    {
        Assert.Equal("a b\n", _e.Ok("run", "--rm", "--entrypoint", "echo", EngineRoot.Image, "a", "b"));
        Assert.Equal("docker-init\n", _e.Ok("run", "--rm", "--init", EngineRoot.Image, "cat", "/proc/1/comm"));
        Assert.Equal("sh\n", _e.Ok("run", "--rm", EngineRoot.Image, "sh", "-c", "cat /proc/1/comm && true"));
        var piped = _e.RunWithInput("piped text\n", "run", "--rm", "-i", EngineRoot.Image, "cat");
        Assert.Equal("piped text\n", piped.Out);
        var id = _e.Ok("create", "--label", "team=engine", "-l", "flag", EngineRoot.Image, "true").Trim();
        var labels = _e.Inspect(id).GetProperty("Config").GetProperty("Labels");
        Assert.Equal("engine", labels.GetProperty("team").GetString());
        Assert.Equal("", labels.GetProperty("flag").GetString());
        _e.Ok("rm", id);
    }

    [Fact]
    public void Memory_cpu_and_pids_limits_reach_the_cgroup()
    {
        var id = _e.Ok("run", "-d", "--memory", "64m", "--cpus", "0.5", "--pids-limit", "42", EngineRoot.Image, "sleep", "60").Trim();
        try
        {
            string Cg(string ctl, string file) => File.ReadAllText(Directory.GetFiles($"/sys/fs/cgroup/{ctl}", file, SearchOption.AllDirectories).First(f => f.Contains(id))).Trim();
            Assert.Equal((64L << 20).ToString(), Cg("memory", "memory.limit_in_bytes"));
            Assert.Equal("50000", Cg("cpu", "cpu.cfs_quota_us"));
            Assert.Equal("42", Cg("pids", "pids.max"));
            var hc = _e.Inspect(id).GetProperty("HostConfig");
            Assert.Equal(64L << 20, hc.GetProperty("Memory").GetInt64());
            Assert.Equal(500000000, hc.GetProperty("NanoCpus").GetInt64());
        }
        finally { _e.Ok("rm", "-f", id); }
        Assert.Empty(_e.Traces(id));
    }
}
