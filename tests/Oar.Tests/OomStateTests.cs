using System.Text.Json;
using Oar.Tests.Fixtures;
using Skiff.Runtime.Spec;

namespace Oar.Tests;

/// <summary>
/// `state` (and `list --format json`) report an OOM kill: the extension field "oomKilled": true appears once the
/// OOM killer has killed a process of the container (its cgroup's oom_kill count), and is absent otherwise, so the
/// document stays runc's for every container that was not OOM-killed.
/// </summary>
public sealed class OomStateTests : IDisposable
{
    readonly Runtime oar = Runtime.Oar();

    public void Dispose() => oar.Dispose();

    static Resources Limit32M() => new() { Memory = new MemoryResources { Limit = 32 << 20 } };

    [Fact]
    public void InitKilledByTheOomKillerIsReportedInState()
    {
        // dd is the container's init (exec): its 100 MB buffer cannot fit in 32 MB, so the OOM killer ends the container.
        using var b = Bundle.Shell("exec dd if=/dev/zero of=/dev/null bs=100M count=1");
        b.Spec.Linux!.Resources = Limit32M();
        var id = oar.NewId("oom");
        var run = oar.Run(b, id, "--detach");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(LifecycleTests.SpinUntil(() => oar.StatusOf(id) == "stopped"), "the container did not stop");

        var state = oar.Exec("state", id);
        Assert.True(state.ExitCode == 0, state.ToString());
        var doc = JsonDocument.Parse(state.Stdout).RootElement;
        Assert.Equal("stopped", doc.GetProperty("status").GetString());
        Assert.True(doc.GetProperty("oomKilled").GetBoolean(), state.Stdout);

        var list = oar.Exec("list", "--format", "json");
        var item = JsonDocument.Parse(list.Stdout).RootElement.EnumerateArray().Single(e => e.GetProperty("id").GetString() == id);
        Assert.True(item.GetProperty("oomKilled").GetBoolean(), list.Stdout);
    }

    [Fact]
    public void ChildKilledByTheOomKillerIsReportedWhileTheContainerRuns()
    {
        using var b = Bundle.Shell("dd if=/dev/zero of=/dev/null bs=100M count=1; echo dd=$? > /dev/shm/done; sleep 600");
        b.Spec.Linux!.Resources = Limit32M();
        var id = oar.NewId("oom");
        Assert.Equal(0, oar.Run(b, id, "--detach").ExitCode);
        Assert.True(LifecycleTests.SpinUntil(() => File.Exists($"/proc/{oar.PidOf(id)}/root/dev/shm/done")), "dd never finished");
        Assert.Equal("dd=137", File.ReadAllText($"/proc/{oar.PidOf(id)}/root/dev/shm/done").Trim());

        var doc = JsonDocument.Parse(oar.Exec("state", id).Stdout).RootElement;
        Assert.Equal("running", doc.GetProperty("status").GetString());
        Assert.True(doc.GetProperty("oomKilled").GetBoolean());
    }

    [Fact]
    public void NoOomNoField()
    {
        using var b = Bundle.Shell("dd if=/dev/zero of=/dev/null bs=4M count=1");
        b.Spec.Linux!.Resources = Limit32M();
        var id = oar.NewId("oom");
        Assert.Equal(0, oar.Run(b, id, "--detach").ExitCode);
        Assert.True(LifecycleTests.SpinUntil(() => oar.StatusOf(id) == "stopped"), "the container did not stop");
        var state = oar.Exec("state", id);
        Assert.False(JsonDocument.Parse(state.Stdout).RootElement.TryGetProperty("oomKilled", out _), state.Stdout);
    }
}
