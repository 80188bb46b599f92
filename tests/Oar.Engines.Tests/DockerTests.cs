using Oar.Engines.Tests.Fixtures;

namespace Oar.Engines.Tests;

/// <summary>Debian's dockerd (through containerd-shim-runc-v2) with oar as the runtime: every test checks what the
/// container saw, not only an exit code.</summary>
public sealed class DockerTests(DockerEngine docker) : IClassFixture<DockerEngine>
{
    static void Ok(Result r, DockerEngine d) => Assert.True(r.ExitCode == 0, $"{r}\n{d.Logs}");

    [Fact]
    public void RunUsesOarAndPassesOutputAndExitCode()
    {
        var r = docker.Run(["-e", "GREETING=hello", "--hostname", "boat", "--user", "1000:1000", "--workdir", "/tmp"],
            "sh", "-c", "echo $GREETING from $(hostname); id -u; pwd; exit 42");
        Assert.True(r.ExitCode == 42, $"{r}\n{docker.Logs}");
        Assert.Equal("hello from boat\n1000\n/tmp\n", r.Stdout);
    }

    [Fact]
    public void DetachedContainerTakesExecAndStopsOnSigterm()
    {
        var name = "skiff-detached";
        var started = docker.Docker("run", "-d", "--name", name, "--runtime", "oar", "--network", "none", DockerEngine.Image,
            "sh", "-c", "trap 'echo got-term; exit 7' TERM; echo ready; while :; do sleep 1; done");
        Ok(started, docker);
        var id = started.Stdout.Trim();
        try
        {
            // oar holds the container: its state (under the shim's --root) says running.
            var state = docker.OarState(id);
            Assert.True(state.ExitCode == 0, state.ToString());
            Assert.Contains("\"status\": \"running\"", state.Stdout.Replace("\":\"", "\": \""));

            var exec = docker.Docker("exec", "-e", "X=in-exec", name, "sh", "-c", "echo $X; echo $$; cat /proc/1/cmdline | tr '\\0' ' '");
            Ok(exec, docker);
            var lines = exec.Stdout.Split('\n');
            Assert.Equal("in-exec", lines[0]);
            Assert.NotEqual("1", lines[1]);
            Assert.StartsWith("sh -c trap", lines[2]);

            // The trap is in place once "ready" is out.
            Assert.True(Command.Eventually(() => docker.Docker("logs", name).Stdout.Contains("ready")), "never ready");
            Ok(docker.Docker("stop", name), docker);
            Assert.Equal("7", docker.Docker("inspect", "-f", "{{.State.ExitCode}}", name).Stdout.Trim());
            Assert.Contains("got-term", docker.Docker("logs", name).Stdout);
        }
        finally { docker.Docker("rm", "-f", name); }
    }

    [Fact]
    public void RemovedContainerLeavesNoCgroupOrState()
    {
        var started = docker.Docker("run", "-d", "--runtime", "oar", "--network", "none", DockerEngine.Image, "sleep", "600");
        Ok(started, docker);
        var id = started.Stdout.Trim();
        try
        {
            Assert.Contains(HostCleanup.CgroupLeftovers(docker.CgroupParent), d => d.EndsWith("/" + id, StringComparison.Ordinal));
            Assert.Equal(0, docker.OarState(id).ExitCode);
        }
        finally { Ok(docker.Docker("rm", "-f", id), docker); }
        Assert.DoesNotContain(HostCleanup.CgroupLeftovers(docker.CgroupParent), d => d.Contains(id, StringComparison.Ordinal));
        Assert.NotEqual(0, docker.OarState(id).ExitCode);
    }

    [Fact]
    public async Task ConcurrentRunsAndExecsDoNotInterfere()
    {
        // The shim calls oar for many containers at once: state, cgroups and fifos must not cross.
        var runs = Enumerable.Range(0, 4).Select(i => Task.Run(() => docker.Run(["--memory", "32m"], "sh", "-c", $"echo run-{i}"))).ToArray();
        var name = "skiff-concurrent";
        Ok(docker.Docker("run", "-d", "--name", name, "--runtime", "oar", "--network", "none", DockerEngine.Image, "sleep", "600"), docker);
        try
        {
            var execs = Enumerable.Range(0, 6).Select(i => Task.Run(() => docker.Docker("exec", name, "sh", "-c", $"echo exec-{i}"))).ToArray();
            var ran = await Task.WhenAll(runs);
            var executed = await Task.WhenAll(execs);
            for (int i = 0; i < ran.Length; i++) { Ok(ran[i], docker); Assert.Equal($"run-{i}\n", ran[i].Stdout); }
            for (int i = 0; i < executed.Length; i++) { Ok(executed[i], docker); Assert.Equal($"exec-{i}\n", executed[i].Stdout); }
        }
        finally { docker.Docker("rm", "-f", name); }
    }

    [Fact]
    public void MemoryLimitIsSeenInsideTheContainer()
    {
        var r = docker.Run(["--memory", "64m"], "sh", "-c",
            "cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max");
        Ok(r, docker);
        Assert.Equal("67108864", r.Stdout.Trim());
    }

    [Fact]
    public void PidsLimitIsSeenAndEnforced()
    {
        // The inner shell forks sleeps until the cgroup refuses one; then every other process is killed.
        var r = docker.Run(["--pids-limit", "8"], "sh", "-c",
            "sh -c 'for i in $(seq 12); do sleep 30 & done' 2>/tmp/forks; kill -9 -1; " +
            "cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max; cat /tmp/forks");
        Ok(r, docker);
        Assert.StartsWith("8\n", r.Stdout);
        Assert.Contains("can't fork", r.Stdout);
    }

    [Fact]
    public void ReadOnlyRootRefusesWrites()
    {
        var r = docker.Run(["--read-only"], "sh", "-c", "touch /written && echo wrote; grep ' / ' /proc/mounts");
        Ok(r, docker);
        Assert.DoesNotContain("wrote", r.Stdout);
        Assert.Contains("Read-only file system", r.Stderr);
        Assert.Matches(@"^\S+ / \S+ ro[,\s]", r.Stdout);
    }

    [Fact]
    public void CapDropAllLeavesNoCapabilities()
    {
        var all = docker.Run(["--cap-drop", "ALL"], "grep", "^Cap", "/proc/self/status");
        Ok(all, docker);
        Assert.Contains("CapEff:\t0000000000000000", all.Stdout);
        Assert.Contains("CapPrm:\t0000000000000000", all.Stdout);
        Assert.Contains("CapBnd:\t0000000000000000", all.Stdout);
        var defaults = docker.Run([], "grep", "^CapEff", "/proc/self/status");
        Ok(defaults, docker);
        Assert.DoesNotContain("0000000000000000", defaults.Stdout);
    }

    [Fact]
    public void MissingProgramIsReportedByTheEngine()
    {
        // The error travels oar's --log JSON → containerd-shim → dockerd → the CLI.
        var r = docker.Run([], "/no/such/program");
        Assert.Equal(127, r.ExitCode);
        Assert.Contains("/no/such/program", r.Stderr);
    }

    [Fact]
    public void InteractiveRunGetsATerminal()
    {
        using var term = new Terminal(docker.CommandLine("run", "-it", "--rm", "--runtime", "oar", "--network", "none", DockerEngine.Image, "sh"), docker.CliEnv);
        Assert.True(term.WaitFor("# "), "no shell prompt:\n" + term.Screen + "\n" + docker.Logs);
        term.Type("echo from-tty-$((6*7)); tty; exit 3");
        Assert.True(term.WaitFor("from-tty-42"), "no answer:\n" + term.Screen);
        Assert.Equal(3, term.WaitForExit());
        Assert.Matches(@"/dev/pts/\d+", term.Screen);
    }

    [Fact]
    public void InteractiveExecGetsATerminal()
    {
        var name = "skiff-exec-tty";
        Ok(docker.Docker("run", "-d", "--name", name, "--runtime", "oar", "--network", "none", DockerEngine.Image, "sleep", "600"), docker);
        try
        {
            using var term = new Terminal(docker.CommandLine("exec", "-it", name, "sh"), docker.CliEnv);
            Assert.True(term.WaitFor("# "), "no shell prompt:\n" + term.Screen + "\n" + docker.Logs);
            term.Type("echo exec-tty-$((6*7)) $(cat /proc/1/comm); tty; exit 4");
            Assert.True(term.WaitFor("exec-tty-42 sleep"), "no answer:\n" + term.Screen);
            Assert.Equal(4, term.WaitForExit());
            Assert.Matches(@"/dev/pts/\d+", term.Screen);
        }
        finally { docker.Docker("rm", "-f", name); }
    }
}
