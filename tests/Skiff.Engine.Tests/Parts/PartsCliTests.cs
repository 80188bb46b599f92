using System.Text.Json;

namespace Skiff.Engine.Tests.Parts;

/// <summary>The parts verbs against real containers (skiff CLI → skiff-shim → oar): logs, cp (running and stopped),
/// top, stats, volumes, rename, container prune, events, info, version.</summary>
public sealed class PartsCliTests : IClassFixture<EngineRoot>
{
    readonly EngineRoot _e;
    public PartsCliTests(EngineRoot e) => _e = e;

    [Fact]
    public void Logs_of_a_real_container_split_streams_tail_and_follow_to_exit()
    {
        _e.Ok("run", "-d", "--name", "parts-logs", EngineRoot.Image, "sh", "-c", "echo one; echo two >&2; echo three; sleep 2; echo four");
        var f = _e.Run("logs", "-f", "parts-logs"); // follow returns when the container exits
        Assert.Equal(0, f.Exit);
        Assert.Equal("one\nthree\nfour\n", f.Out);
        Assert.Equal("two\n", f.Err);
        Assert.Equal("four\n", _e.Ok("logs", "--tail", "1", "parts-logs"));
        // The shim reads stdout and stderr from separate pipes, so "two" may land anywhere before "four": count records.
        var t3 = _e.Run("logs", "--tail", "3", "parts-logs");
        Assert.Equal(3, (t3.Out + t3.Err).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.EndsWith("four\n", t3.Out);
        var stamped = _e.Ok("logs", "-t", "--tail", "1", "parts-logs");
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z four\n$", stamped);
        Assert.Equal("", _e.Ok("logs", "--since", "0s", "parts-logs")); // nothing after now
        _e.Ok("rm", "parts-logs");
    }

    [Fact]
    public void Cp_both_ways_on_a_running_and_a_stopped_container_stays_inside()
    {
        var host = Directory.CreateTempSubdirectory("skiff-test-parts-cpcli-").FullName;
        try
        {
            _e.Ok("run", "-d", "--name", "parts-cp", EngineRoot.Image, "sh", "-c", "echo inside > /tmp/made; ln -s / /tmp/root-link; ln -s /etc /tmp/etc-link; sleep 300");
            _e.WaitFor("parts-cp", j => j.GetProperty("State").GetProperty("Running").GetBoolean());
            Thread.Sleep(500);
            _e.Ok("cp", "parts-cp:/tmp/made", Path.Combine(host, "made"));
            Assert.Equal("inside\n", File.ReadAllText(Path.Combine(host, "made")));
            File.WriteAllText(Path.Combine(host, "in"), "from host\n");
            _e.Ok("cp", Path.Combine(host, "in"), "parts-cp:/tmp/etc-link/");
            Assert.Equal("from host\n", _e.Ok("exec", "parts-cp", "cat", "/etc/in"));
            Assert.False(File.Exists("/etc/in"));
            // A tar of a directory through a symlink to "/" is the container's /etc, not the host's.
            var tar = _e.Run("cp", "parts-cp:/tmp/root-link/etc/hostname", Path.Combine(host, "hn"));
            Assert.Equal(0, tar.Exit);
            Assert.NotEqual(File.ReadAllText("/etc/hostname"), File.ReadAllText(Path.Combine(host, "hn")));
            _e.Ok("stop", "-t", "1", "parts-cp");
            _e.Ok("cp", Path.Combine(host, "in"), "parts-cp:/tmp/after-stop");
            _e.Ok("cp", "parts-cp:/tmp/after-stop", Path.Combine(host, "back"));
            Assert.Equal("from host\n", File.ReadAllText(Path.Combine(host, "back")));
            _e.Ok("cp", "parts-cp:tmp/after-stop", Path.Combine(host, "relative")); // relative to WorkingDir "/"
            Assert.Equal("from host\n", File.ReadAllText(Path.Combine(host, "relative")));
            var missing = _e.Run("cp", "parts-cp:/nope", host);
            Assert.Equal(1, missing.Exit);
            Assert.Contains("Could not find the file /nope in container parts-cp", missing.Err);
            Assert.DoesNotContain(File.ReadAllLines("/proc/self/mountinfo"), l => l.Contains("/cp/"));
            _e.Ok("rm", "parts-cp");
        }
        finally { Directory.Delete(host, true); }
    }

    [Fact]
    public void Top_and_stats_read_the_container_s_cgroup()
    {
        _e.Ok("run", "-d", "--name", "parts-top", EngineRoot.Image, "sh", "-c", "sleep 300 & sleep 301; echo done");
        _e.WaitFor("parts-top", j => j.GetProperty("State").GetProperty("Running").GetBoolean());
        Thread.Sleep(500);
        var top = _e.Ok("top", "parts-top").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^UID\s+PID\s+PPID\s+C\s+STIME\s+TTY\s+TIME\s+CMD$", top[0]);
        Assert.Contains(top, l => l.EndsWith("sleep 300"));
        Assert.Contains(top, l => l.EndsWith("sleep 301"));
        Assert.Contains(top, l => l.Contains("sh -c sleep 300 & sleep 301; echo done"));
        var stats = _e.Ok("stats", "--no-stream", "--format", "{{.Name}} {{.PIDs}} {{.MemUsage}} {{.CPUPerc}}", "parts-top").Trim();
        var f = stats.Split(' ');
        Assert.Equal("parts-top", f[0]);
        Assert.Equal("3", f[1]);
        Assert.Matches(@"^[\d.]+(B|KiB|MiB)$", f[2]);
        Assert.Matches(@"^\d+\.\d\d%$", f[5]);
        var table = _e.Ok("stats", "--no-stream", "parts-top").Split('\n');
        Assert.Matches(@"^CONTAINER ID\s+NAME\s+CPU %\s+MEM USAGE / LIMIT\s+MEM %\s+NET I/O\s+BLOCK I/O\s+PIDS$", table[0]);
        _e.Ok("rm", "-f", "parts-top");
        var stopped = _e.Run("top", "parts-top");
        Assert.NotEqual(0, stopped.Exit);
    }

    [Fact]
    public void Volume_verbs_and_in_use_refusal()
    {
        Assert.Equal("parts-vol\n", _e.Ok("volume", "create", "--label", "tier=db", "parts-vol"));
        _e.Ok("volume", "create", "parts-vol2");
        Assert.Contains("parts-vol\n", _e.Ok("volume", "ls", "-q"));
        Assert.Equal("parts-vol\n", _e.Ok("volume", "ls", "-q", "--filter", "label=tier=db"));
        var ls = _e.Ok("volume", "ls").Split('\n');
        Assert.Matches(@"^DRIVER\s+VOLUME NAME$", ls[0]);
        var inspect = JsonDocument.Parse(_e.Ok("volume", "inspect", "parts-vol")).RootElement[0];
        Assert.Equal(Path.Combine(_e.DataRoot, "volumes", "parts-vol", "_data"), inspect.GetProperty("Mountpoint").GetString());
        Assert.Equal("local", _e.Ok("volume", "inspect", "-f", "{{.Driver}}", "parts-vol").Trim());
        _e.Ok("run", "-d", "--name", "parts-voluser", "-v", "parts-vol:/data", EngineRoot.Image, "sh", "-c", "echo kept > /data/f; sleep 300");
        var busy = _e.Run("volume", "rm", "parts-vol");
        Assert.Equal(1, busy.Exit);
        Assert.Contains("volume is in use", busy.Err);
        Assert.Equal("parts-vol2\n", _e.Ok("volume", "ls", "-q", "--filter", "dangling=true").Split('\n').Where(l => l.StartsWith("parts-")).Aggregate("", (a, l) => a + l + "\n"));
        _e.Ok("rm", "-f", "parts-voluser");
        Assert.Equal("kept\n", File.ReadAllText(Path.Combine(_e.DataRoot, "volumes", "parts-vol", "_data", "f")));
        var bad = _e.Run("volume", "create", "--driver", "nfsplugin", "parts-x");
        Assert.Equal(1, bad.Exit);
        Assert.Contains("error looking up volume plugin nfsplugin: plugin \"nfsplugin\" not found", bad.Err);
        var prune = _e.Ok("volume", "prune", "-f", "--all");
        Assert.Contains("parts-vol\n", prune);
        Assert.Contains("Total reclaimed space:", prune);
        Assert.DoesNotContain("parts-vol", _e.Ok("volume", "ls", "-q"));
        var missing = _e.Run("volume", "inspect", "parts-vol");
        Assert.Equal(1, missing.Exit);
        Assert.Contains("No such volume: parts-vol", missing.Err);
    }

    [Fact]
    public void Rename_prune_and_events()
    {
        var since = DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeSeconds().ToString();
        _e.Ok("create", "--name", "parts-old", "--label", "parts=yes", EngineRoot.Image, "true");
        _e.Ok("rename", "parts-old", "parts-new");
        Assert.Equal("/parts-new", _e.Inspect("parts-new").GetProperty("Name").GetString());
        Assert.NotEqual(0, _e.Run("inspect", "parts-old").Exit);
        _e.Ok("create", "--name", "parts-keep", EngineRoot.Image, "true");
        var prune = _e.Ok("container", "prune", "-f", "--filter", "label=parts=yes");
        Assert.Contains("Deleted Containers:", prune);
        Assert.NotEqual(0, _e.Run("inspect", "parts-new").Exit);
        Assert.Equal(0, _e.Run("inspect", "parts-keep").Exit);
        _e.Ok("rm", "parts-keep");
        var until = DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds().ToString();
        var events = _e.Ok("events", "--since", since, "--until", until, "--filter", "type=container", "--format", "{{.Action}} {{.Actor.Attributes.name}}");
        var lines = events.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("rename parts-new", lines);
        Assert.Contains("destroy parts-keep", lines);
        var json = _e.Ok("events", "--since", since, "--until", until, "--filter", "event=rename", "--format", "json").Trim();
        var ev = JsonDocument.Parse(json).RootElement;
        Assert.Equal("/parts-old", ev.GetProperty("Actor").GetProperty("Attributes").GetProperty("oldName").GetString());
        Assert.Equal("container", ev.GetProperty("Type").GetString());
    }

    [Fact]
    public void Info_and_version_report_docker_s_fields()
    {
        var info = JsonDocument.Parse(_e.Ok("info", "--format", "{{json .}}")).RootElement;
        Assert.Equal(_e.DataRoot, info.GetProperty("DockerRootDir").GetString());
        Assert.Equal(Environment.ProcessorCount, info.GetProperty("NCPU").GetInt32());
        Assert.Equal("oar", info.GetProperty("DefaultRuntime").GetString());
        Assert.True(info.GetProperty("Runtimes").TryGetProperty("oar", out _));
        Assert.Equal("1", info.GetProperty("CgroupVersion").GetString());
        var text = _e.Ok("info");
        Assert.Contains(" Cgroup Version: 1\n", text);
        Assert.Contains($" Docker Root Dir: {_e.DataRoot}\n", text);
        Assert.Equal("1.47\n", _e.Ok("version", "--format", "{{.Server.ApiVersion}}"));
        Assert.Contains("API version:", _e.Ok("version"));
    }
}
