using Skiff.Engine.Shims;
using Skiff.Linux;

namespace Skiff.Engine.Tests.Shims;

[Collection("shim")]
public class ShimFaultTests
{
    [Theory]
    [InlineData("oar")]
    [InlineData("runc")]
    public void A_failing_create_reports_the_runtime_error_and_leaves_nothing(string runtime)
    {
        using var c = new ShimContainer(runtime, "/bin/true");
        c.Spec.Root!.Path = "/nonexistent-shim-test-rootfs";
        var e = Assert.Throws<ShimStartException>(() => c.Start());
        Assert.Contains("nonexistent-shim-test-rootfs", e.Message);
        Assert.Null(c.State);
        Assert.Null(c.Exit);
        Assert.False(File.Exists(c.Config.AttachSocketPath));
        Assert.False(File.Exists(c.Config.ControlSocketPath));
        Assert.NotEqual(0, c.RunRuntime("state", c.Id).Code);
        Assert.Empty(Leftovers(c.Id));
    }

    [Fact]
    public void A_missing_runtime_binary_is_a_start_error()
    {
        using var c = new ShimContainer("oar", "/bin/true");
        c.Config.RuntimePath = "/nonexistent/oar";
        var e = Assert.Throws<ShimStartException>(() => c.Start());
        Assert.Contains("/nonexistent/oar", e.Message);
        Assert.Null(c.State);
    }

    [Fact]
    public void A_bad_shim_config_is_a_start_error_naming_the_field()
    {
        using var c = new ShimContainer("oar", "/bin/true");
        c.Config.RestartPolicy.Name = "sometimes";
        var e = Assert.Throws<ShimStartException>(() => c.Start());
        Assert.Contains("restartPolicy.name", e.Message);
    }

    [Theory]
    [InlineData("oar")]
    [InlineData("runc")]
    public void A_killed_shim_leaves_the_container_running_and_ShimFiles_tells(string runtime)
    {
        using var c = new ShimContainer(runtime, "/bin/sleep", "1000");
        var started = c.Start();
        Assert.Equal(started.ShimPid, c.State!.ShimPid);
        Assert.Equal(ShimCondition.Running, ShimFiles.Probe(c.Config));
        Assert.Equal(0, Processes.Signal(started.ShimPid, Processes.SIGKILL));
        Wait.Until(() => !ShimFiles.IsAlive(c.State!), 10_000, "the shim to die");

        Assert.Equal(ShimCondition.ShimLostContainerRunning, ShimFiles.Probe(c.Config));
        Assert.Equal('S', Processes.State(started.ContainerPid));
        Assert.Equal("running", ShimFiles.RuntimeStatus(c.Config));

        // The engine's way out: kill and delete through the runtime; afterwards the probe says stopped.
        c.RunRuntime("kill", c.Id, "9");
        Wait.Until(() => ShimFiles.RuntimeStatus(c.Config) is not "running", 10_000, "the container to stop");
        Assert.Equal(ShimCondition.ShimLostContainerStopped, ShimFiles.Probe(c.Config));
    }

    [Fact]
    public void A_recycled_pid_is_not_taken_for_the_shim()
    {
        var state = new Skiff.Shim.Protocol.ShimState { ShimPid = Environment.ProcessId, ShimStartTime = 1 };
        Assert.False(ShimFiles.IsAlive(state));
        state.ShimStartTime = Processes.StartTime(Environment.ProcessId)!.Value;
        Assert.True(ShimFiles.IsAlive(state));
    }

    [Fact]
    public void Long_socket_paths_work()
    {
        using var c = new ShimContainer("oar", "/bin/sh", "-c", "read x; echo got:$x");
        var deep = Path.Combine(c.Dir, new string('d', 60), new string('e', 60));
        Directory.CreateDirectory(deep);
        c.Config.AttachSocketPath = Path.Combine(deep, "attach.sock");
        c.Config.ControlSocketPath = Path.Combine(deep, "control.sock");
        c.Config.OpenStdin = true;
        c.Start();
        using var a = c.Client.Attach(new Skiff.Shim.Protocol.AttachRequest { Stdin = true, Stdout = true });
        a.Stream.Write("x\n"u8);
        Assert.Equal("got:x\n", System.Text.Encoding.UTF8.GetString(a.ReadFrame()!.Value.Data));
        Assert.Equal(0, c.WaitForFinalExit().ExitCode);
    }

    /// <summary>Processes still running with the container id on their command line, and cgroup dirs named after it.</summary>
    static IEnumerable<string> Leftovers(string id)
    {
        foreach (var h in Directory.EnumerateDirectories("/sys/fs/cgroup"))
        {
            var d = Path.Combine(h, id);
            if (Directory.Exists(d)) yield return d;
        }
        foreach (var d in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(d), out _)) continue;
            string cmd;
            try { cmd = File.ReadAllText(Path.Combine(d, "cmdline")).Replace('\0', ' '); } catch (IOException) { continue; }
            if (cmd.Contains(id)) yield return cmd;
        }
    }
}
