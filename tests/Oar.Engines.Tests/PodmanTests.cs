using Oar.Engines.Tests.Fixtures;

namespace Oar.Engines.Tests;

/// <summary>Debian's podman 4.3 (through conmon) with `--runtime` oar.</summary>
public sealed class PodmanTests(PodmanEngine podman) : IClassFixture<PodmanEngine>
{
    [Fact]
    public void RunPassesOutputExitCodeAndLimits()
    {
        var r = podman.Run(["--memory", "64m", "--cap-drop", "ALL", "--user", "1000:1000", "--hostname", "boat"], "sh", "-c",
            "hostname; id -u; cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max; " +
            "grep CapEff /proc/self/status; exit 42");
        Assert.True(r.ExitCode == 42, r.ToString());
        Assert.Equal("boat\n1000\n67108864\nCapEff:\t0000000000000000\n", r.Stdout);
    }

    [Fact]
    public void DetachedContainerTakesExecAndStops()
    {
        var name = "skiff-podman-detached";
        var started = podman.Podman("run", "-d", "--name", name, "--network", "none", "--cgroup-parent", podman.CgroupParent,
            PodmanEngine.Image, "sh", "-c", "trap 'echo got-term; exit 7' TERM; echo ready; while :; do sleep 1; done");
        Assert.True(started.ExitCode == 0, started.ToString());
        try
        {
            // conmon ran oar without --root: its state (in oar's default root) says running.
            var state = Command.Run(podman.Oar, "state", started.Stdout.Trim());
            Assert.True(state.ExitCode == 0, state.ToString());
            Assert.Contains("\"status\": \"running\"", state.Stdout.Replace("\":\"", "\": \""));

            var exec = podman.Podman("exec", "-e", "X=in-exec", name, "sh", "-c", "echo $X; echo $$; cat /proc/1/cmdline | tr '\\0' ' '");
            Assert.True(exec.ExitCode == 0, exec.ToString());
            var lines = exec.Stdout.Split('\n');
            Assert.Equal("in-exec", lines[0]);
            Assert.NotEqual("1", lines[1]);
            Assert.StartsWith("sh -c trap", lines[2]);

            Assert.True(Command.Eventually(() => podman.Podman("logs", name).Stdout.Contains("ready")), "never ready");
            var stop = podman.Podman("stop", name);
            Assert.True(stop.ExitCode == 0, stop.ToString());
            Assert.Equal("7", podman.Podman("inspect", "-f", "{{.State.ExitCode}}", name).Stdout.Trim());
            Assert.Contains("got-term", podman.Podman("logs", name).Stdout);
        }
        finally { podman.Podman("rm", "-f", "-t", "0", name); }
    }

    [Fact]
    public void KillOfAContainerSharingTheHostPidNamespaceLeavesNoProcess()
    {
        // Init dies; its child lives on in the host pid namespace until oar's delete kills the cgroup.
        var marker = $"{Random.Shared.Next(100000, 999999)}";
        bool SleepAlive() => HostCleanup.Processes($"sleep {marker}").Any(pid =>
        {
            try { return File.ReadAllText($"/proc/{pid}/comm").Trim() == "sleep"; } catch (IOException) { return false; }
        });
        var name = "skiff-podman-pid-host";
        var started = podman.Podman("run", "-d", "--name", name, "--network", "none", "--pid", "host", "--cgroup-parent", podman.CgroupParent,
            PodmanEngine.Image, "sh", "-c", $"sleep {marker} & wait");
        Assert.True(started.ExitCode == 0, started.ToString());
        try
        {
            Assert.True(Command.Eventually(SleepAlive), "the child never started");
            var kill = podman.Podman("kill", name);
            Assert.True(kill.ExitCode == 0, kill.ToString());
            podman.Podman("wait", name);
            Assert.True(Command.Eventually(() => !SleepAlive()), $"sleep {marker} outlived the container");
        }
        finally { podman.Podman("rm", "-f", "-t", "0", name); }
    }

    [Fact]
    public void ReadOnlyRootRefusesWrites()
    {
        var r = podman.Run(["--read-only", "--read-only-tmpfs=false"], "sh", "-c", "touch /written && echo wrote; grep ' / ' /proc/mounts");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.DoesNotContain("wrote", r.Stdout);
        Assert.Contains("Read-only file system", r.Stderr);
        Assert.Matches(@"^\S+ / \S+ ro[,\s]", r.Stdout);
    }

    [Fact]
    public void InteractiveRunGetsATerminal()
    {
        using var term = new Terminal(podman.CommandLine("run", "-it", "--rm", "--network", "none", "--cgroup-parent", podman.CgroupParent,
            PodmanEngine.Image, "sh"), podman.Env);
        Assert.True(term.WaitFor("# "), "no shell prompt:\n" + term.Screen);
        term.Type("echo from-tty-$((6*7)); tty; exit 3");
        Assert.True(term.WaitFor("from-tty-42"), "no answer:\n" + term.Screen);
        Assert.Equal(3, term.WaitForExit());
        Assert.Matches(@"/dev/pts/\d+", term.Screen);
    }

    [Fact]
    public void InteractiveExecGetsATerminal()
    {
        var name = "skiff-podman-exec-tty";
        var started = podman.Podman("run", "-d", "--name", name, "--network", "none", "--cgroup-parent", podman.CgroupParent, PodmanEngine.Image, "sleep", "600");
        Assert.True(started.ExitCode == 0, started.ToString());
        try
        {
            using var term = new Terminal(podman.CommandLine("exec", "-it", name, "sh"), podman.Env);
            Assert.True(term.WaitFor("# "), "no shell prompt:\n" + term.Screen);
            term.Type("echo exec-tty-$((6*7)) $(cat /proc/1/comm); tty; exit 4");
            Assert.True(term.WaitFor("exec-tty-42 sleep"), "no answer:\n" + term.Screen);
            Assert.Equal(4, term.WaitForExit());
        }
        finally { podman.Podman("rm", "-f", "-t", "0", name); }
    }

    /// <summary>oar state's extension field "oomKilled" (written once the OOM killer struck in the container) does not
    /// trouble podman, which parses `state` on every inspect/exec/stop of a running container.</summary>
    [Fact]
    public void ContainerWithAnOomKilledProcessStillWorksUnderPodman()
    {
        var name = "skiff-podman-oom";
        var started = podman.Podman("run", "-d", "--name", name, "--network", "none", "--cgroup-parent", podman.CgroupParent,
            "--memory", "32m", "--memory-swap", "32m", PodmanEngine.Image, "sh", "-c",
            "dd if=/dev/zero of=/dev/null bs=100M count=1; echo dd=$? > /tmp/dd; sleep 600");
        Assert.True(started.ExitCode == 0, started.ToString());
        try
        {
            var id = started.Stdout.Trim();
            Assert.True(Command.Eventually(() => podman.Podman("exec", name, "cat", "/tmp/dd").Stdout.Trim() == "dd=137"), "dd was not OOM-killed");
            var state = Command.Run(podman.Oar, "state", id);
            Assert.True(state.ExitCode == 0, state.ToString());
            Assert.Contains("\"oomKilled\": true", state.Stdout);
            var inspect = podman.Podman("inspect", "-f", "{{.State.Status}}", name);
            Assert.True(inspect.ExitCode == 0, inspect.ToString());
            Assert.Equal("running", inspect.Stdout.Trim());
            var exec = podman.Podman("exec", name, "echo", "still-here");
            Assert.True(exec.ExitCode == 0, exec.ToString());
            Assert.Equal("still-here", exec.Stdout.Trim());
            var stop = podman.Podman("stop", "-t", "1", name);
            Assert.True(stop.ExitCode == 0, stop.ToString());
            Assert.Equal("exited", podman.Podman("inspect", "-f", "{{.State.Status}}", name).Stdout.Trim());
        }
        finally { podman.Podman("rm", "-f", "-t", "0", name); }
    }
}
