using Skiff.Engine.Shims;
using Skiff.Linux;
using Skiff.Shim.Protocol;

namespace Skiff.Engine.Tests.Shims;

[Collection("shim")]
public class ShimExitTests
{
    [Theory]
    [InlineData("oar", "exit 0", 0)]
    [InlineData("oar", "exit 3", 3)]
    [InlineData("runc", "exit 3", 3)]
    public void The_exit_code_is_recorded(string runtime, string script, int code)
    {
        using var c = ShimContainer.Shell(runtime, script);
        c.Start();
        var exit = c.WaitForFinalExit();
        Assert.Equal(code, exit.ExitCode);
        Assert.False(exit.Restarting);
        Assert.Equal(0, exit.RestartCount);
        Assert.True(exit.FinishedAt >= exit.StartedAt);
        Assert.True(exit.FinishedAt > DateTime.UtcNow.AddMinutes(-5));
        // The shim deleted the container from the runtime and removed its sockets.
        Assert.NotEqual(0, c.RunRuntime("state", c.Id).Code);
        Assert.False(File.Exists(c.Config.AttachSocketPath));
        Assert.False(File.Exists(c.Config.ControlSocketPath));
    }

    [Theory]
    [InlineData("oar")]
    [InlineData("runc")]
    public void A_container_killed_by_SIGKILL_exits_137(string runtime)
    {
        using var c = new ShimContainer(runtime, "/bin/sleep", "1000");
        var started = c.Start();
        Assert.Equal(ShimCondition.Running, ShimFiles.Probe(c.Config));
        Assert.Equal(0, Processes.Signal(started.ContainerPid, Processes.SIGKILL));
        var exit = c.WaitForFinalExit();
        Assert.Equal(137, exit.ExitCode);
        Assert.False(exit.OomKilled);
        Assert.Equal(ShimCondition.Exited, ShimFiles.Probe(c.Config));
    }

    [Fact]
    public void On_failure_2_restarts_exactly_twice()
    {
        using var c = ShimContainer.Shell("oar", "echo run; exit 4");
        c.Config.RestartPolicy = new RestartPolicy { Name = "on-failure", MaximumRetryCount = 2 };
        c.Start();
        var exit = c.WaitForFinalExit();
        Assert.Equal(4, exit.ExitCode);
        Assert.Equal(2, exit.RestartCount);
        Assert.Equal(3, c.LogEntries().Count(e => e.Log == "run\n"));
    }

    [Fact]
    public void On_failure_does_not_restart_a_clean_exit()
    {
        using var c = ShimContainer.Shell("oar", "echo run; exit 0");
        c.Config.RestartPolicy = new RestartPolicy { Name = "on-failure" };
        c.Start();
        var exit = c.WaitForFinalExit();
        Assert.Equal(0, exit.RestartCount);
        Assert.Single(c.LogEntries());
    }

    [Fact]
    public void Always_restarts_until_stop()
    {
        using var c = ShimContainer.Shell("oar", "echo run; exit 0");
        c.Config.RestartPolicy = new RestartPolicy { Name = "always" };
        c.Start();
        Wait.Until(() => c.State?.RestartCount >= 3, 30_000, "three restarts");
        c.Client.Stop();
        var exit = c.WaitForFinalExit();
        Assert.False(exit.Restarting);
        int count = exit.RestartCount;
        Assert.True(count >= 3);
        Assert.Equal(count + 1, c.LogEntries().Count(e => e.Log == "run\n"));
        Assert.NotEqual(0, c.RunRuntime("state", c.Id).Code);
    }

    [Fact]
    public void Stop_then_kill_ends_an_always_container_for_good()
    {
        using var c = new ShimContainer("oar", "/bin/sleep", "1000");
        c.Config.RestartPolicy = new RestartPolicy { Name = "always" };
        var started = c.Start();
        c.Client.Stop();
        Processes.Signal(started.ContainerPid, Processes.SIGKILL);
        var exit = c.WaitForFinalExit();
        Assert.Equal(137, exit.ExitCode);
        Assert.Equal(0, exit.RestartCount);
    }
}

[Collection("shim")]
public class ShimOomTests
{
    [Theory]
    [InlineData("oar")]
    [InlineData("runc")]
    public void An_OOM_kill_is_recorded(string runtime)
    {
        // The shell (the container's init) collects 200 MB into a variable under a 16 MB limit: the kernel kills it.
        using var c = ShimContainer.Shell(runtime, "x=$(head -c 200000000 /dev/zero | tr '\\0' a); echo survived");
        c.Spec.Linux!.Resources ??= new Skiff.Runtime.Spec.Resources();
        c.Spec.Linux.Resources.Memory = new Skiff.Runtime.Spec.MemoryResources { Limit = 16 << 20, Swap = 16 << 20 };
        c.Start();
        var exit = c.WaitForFinalExit();
        Assert.Equal(137, exit.ExitCode);
        Assert.True(exit.OomKilled);
    }
}
