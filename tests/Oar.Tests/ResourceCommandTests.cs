using System.Text.Json;
using Oar.Tests.Fixtures;
using Skiff.Runtime.Spec;

namespace Oar.Tests;

/// <summary>pause/resume, ps, update and events on a running container.</summary>
public sealed class ResourceCommandTests : IDisposable
{
    readonly Runtime oar = Runtime.Oar();
    readonly Bundle bundle = Bundle.Shell("while true; do sleep 0.1; done");
    readonly string id;

    public ResourceCommandTests()
    {
        id = oar.NewId();
        bundle.Spec.Linux!.Resources = new Resources { Memory = new MemoryResources { Limit = 64 << 20 }, Pids = new PidsResources { Limit = 50 } };
        var r = oar.Run(bundle, id, "--detach");
        Assert.True(r.ExitCode == 0, r.ToString());
    }

    public void Dispose() { oar.Dispose(); bundle.Dispose(); }

    [Fact]
    public void PauseFreezesAndResumeThaws()
    {
        int pid = oar.PidOf(id);
        Assert.Equal(0, oar.Exec("pause", id).ExitCode);
        Assert.Equal("paused", oar.StatusOf(id));
        Assert.Equal("FROZEN", File.ReadAllText($"/sys/fs/cgroup/freezer/{id}/freezer.state").Trim());
        Assert.NotEqual(0, oar.Exec("pause", id).ExitCode);
        var exec = oar.Exec("exec", id, "true");
        Assert.Equal(1, exec.ExitCode);
        Assert.Contains("paused", exec.Stderr);
        Assert.Equal(0, oar.Exec("resume", id).ExitCode);
        Assert.Equal("running", oar.StatusOf(id));
        Assert.NotEqual(0, oar.Exec("resume", id).ExitCode);
        // A paused container can still be force-deleted.
        Assert.Equal(0, oar.Exec("pause", id).ExitCode);
        Assert.Equal(0, oar.Exec("delete", "--force", id).ExitCode);
        Assert.True(LifecycleTests.SpinUntil(() => !File.Exists($"/proc/{pid}/stat") || File.ReadAllText($"/proc/{pid}/stat").Contains(") Z")));
        Assert.Empty(Leftovers.CgroupDirs(id));
    }

    [Fact]
    public void PsListsTheContainersProcesses()
    {
        var json = oar.Exec("ps", "--format", "json", id);
        Assert.True(json.ExitCode == 0, json.ToString());
        var pids = JsonDocument.Parse(json.Stdout).RootElement.EnumerateArray().Select(e => e.GetInt32()).ToList();
        Assert.Contains(oar.PidOf(id), pids);
        var table = oar.Exec("ps", id);
        Assert.Contains("PID", table.Stdout.Split('\n')[0]);
        Assert.Contains("while true", table.Stdout);
    }

    [Fact]
    public void UpdateChangesLimitsFromFlagsAndJson()
    {
        Assert.Equal(0, oar.Exec("update", "--memory", "128M", "--pids-limit", "77", id).ExitCode);
        Assert.Equal((128L << 20).ToString(), File.ReadAllText($"/sys/fs/cgroup/memory/{id}/memory.limit_in_bytes").Trim());
        Assert.Equal("77", File.ReadAllText($"/sys/fs/cgroup/pids/{id}/pids.max").Trim());
        var r = oar.Exec("""{"pids":{"limit":33},"cpu":{"shares":512}}""", TimeSpan.FromSeconds(30), "update", "--resources", "-", id);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("33", File.ReadAllText($"/sys/fs/cgroup/pids/{id}/pids.max").Trim());
        var cpuDir = Directory.GetDirectories("/sys/fs/cgroup").First(d => d.Contains("cpu") && File.Exists(Path.Combine(d, id, "cpu.shares")));
        Assert.Equal("512", File.ReadAllText(Path.Combine(cpuDir, id, "cpu.shares")).Trim());
        var bad = oar.Exec("{\"pids\":{\"limit\":\"many\"}}", TimeSpan.FromSeconds(30), "update", "-r", "-", id);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("pids.limit", bad.Stderr);
        Assert.Equal("33", File.ReadAllText($"/sys/fs/cgroup/pids/{id}/pids.max").Trim());
        var below = oar.Exec("update", "--memory", "4k", id);
        Assert.Equal(1, below.ExitCode);
        Assert.Contains("memory", below.Stderr);
    }

    [Fact]
    public void EventsStatsReportsUsage()
    {
        var r = oar.Exec("events", "--stats", id);
        Assert.True(r.ExitCode == 0, r.ToString());
        var e = JsonDocument.Parse(r.Stdout).RootElement;
        Assert.Equal("stats", e.GetProperty("type").GetString());
        Assert.Equal(id, e.GetProperty("id").GetString());
        var data = e.GetProperty("data");
        Assert.Equal(64L << 20, data.GetProperty("memory").GetProperty("usage").GetProperty("limit").GetInt64());
        Assert.True(data.GetProperty("memory").GetProperty("usage").GetProperty("usage").GetInt64() > 0);
        Assert.Equal(50, data.GetProperty("pids").GetProperty("limit").GetInt64());
        Assert.True(data.GetProperty("pids").GetProperty("current").GetInt64() >= 1);
        Assert.True(data.GetProperty("cpu").GetProperty("usage").GetProperty("total").GetInt64() > 0);
    }

    [Fact]
    public void EventsStreamReportsOom()
    {
        using var b = Bundle.Shell("sleep 4; dd if=/dev/zero of=/dev/null bs=100M count=1; sleep 1");
        b.Spec.Linux!.Resources = new Resources { Memory = new MemoryResources { Limit = 32 << 20 } };
        var oomId = oar.NewId();
        Assert.Equal(0, oar.Run(b, oomId, "--detach").ExitCode);
        var r = oar.Exec(null, TimeSpan.FromSeconds(60), "events", "--interval", "10s", oomId);
        Assert.True(r.ExitCode == 0, r.ToString());
        var types = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("type").GetString()).ToList();
        Assert.Contains("oom", types);
        Assert.Contains("stats", types);
    }
}
