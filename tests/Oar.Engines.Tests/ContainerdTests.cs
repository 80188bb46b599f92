using Oar.Engines.Tests.Fixtures;
using Oar.Tests.Fixtures;

namespace Oar.Engines.Tests;

/// <summary>containerd 1.6's `ctr` with oar as the shim's runc binary (`--runc-binary`), image from an OCI archive.</summary>
public sealed class ContainerdTests : IClassFixture<ContainerdTests.Engine>
{
    public sealed class Engine : IDisposable
    {
        public string Dir { get; } = Directory.CreateTempSubdirectory("skiff-ctr-").FullName;
        public string Namespace { get; } = $"skiff-engines-ctr-{Environment.ProcessId}";
        public string Oar { get; } = OarBinary.Path;
        Containerd? containerd;
        BusyboxImage? image;

        public Engine()
        {
            try
            {
                if (!File.Exists("/usr/bin/ctr")) throw new InvalidOperationException("/usr/bin/ctr is missing: apt-get install containerd");
                containerd = new Containerd(Path.Combine(Dir, "containerd"));
                image = new BusyboxImage(Path.Combine(Dir, "image"));
                var imported = Ctr("image", "import", image.OciArchive);
                if (imported.ExitCode != 0 || !Ctr("image", "ls", "-q").Stdout.Contains(BusyboxImage.OciName))
                    throw new InvalidOperationException("ctr image import failed:\n" + imported + "\n" + containerd.Log);
            }
            catch { Dispose(); throw; }
        }

        public Result Ctr(params string[] args) => containerd!.Ctr(Namespace, args);

        public string CommandLine(params string[] args)
            => string.Join(' ', new[] { "ctr", "--address", containerd!.Socket, "--namespace", Namespace }.Concat(args).Select(Command.Quote));

        public string Log => containerd?.Log ?? "";

        public void Dispose()
        {
            if (containerd is not null)
            {
                foreach (var task in Ctr("task", "ls", "-q").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                    Ctr("task", "delete", "--force", task);
                foreach (var c in Ctr("container", "ls", "-q").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                    Ctr("container", "delete", c);
                containerd.Dispose();
            }
            HostCleanup.KillProcesses(Dir);
            HostCleanup.Unmount(Dir);
            HostCleanup.RemoveCgroups(Namespace);
            HostCleanup.RemoveTree(Path.Combine("/run/containerd/runc", Namespace)); // the shim's --root for oar
            image?.Dispose();
            HostCleanup.RemoveTree(Dir);
        }
    }

    readonly Engine ctr;
    public ContainerdTests(Engine engine) => ctr = engine;

    [Fact]
    public void RunPassesOutputAndExitCode()
    {
        var r = ctr.Ctr("run", "--rm", "--runc-binary", ctr.Oar, BusyboxImage.OciName, "ctr-run",
            "sh", "-c", "echo hello from $(cat /proc/1/comm); grep CapEff /proc/self/status; exit 5");
        Assert.True(r.ExitCode == 5, $"{r}\n{ctr.Log}");
        Assert.Equal("hello from sh\nCapEff:\t00000000a80425fb\n", r.Stdout);
    }

    [Fact]
    public void DetachedTaskTakesExecAndKill()
    {
        const string id = "ctr-detached";
        var started = ctr.Ctr("run", "-d", "--runc-binary", ctr.Oar, "--memory-limit", "67108864", BusyboxImage.OciName, id, "sleep", "600");
        Assert.True(started.ExitCode == 0, $"{started}\n{ctr.Log}");
        try
        {
            // The shim ran oar with --root /run/containerd/runc/<namespace>: oar's state there says running.
            var state = Command.Run(ctr.Oar, "--root", Path.Combine("/run/containerd/runc", ctr.Namespace), "state", id);
            Assert.True(state.ExitCode == 0, state.ToString());
            Assert.Contains("\"status\": \"running\"", state.Stdout.Replace("\":\"", "\": \""));

            var exec = ctr.Ctr("task", "exec", "--exec-id", "e1", id, "sh", "-c", "echo $$; cat /proc/1/cmdline | tr '\\0' ' '");
            Assert.True(exec.ExitCode == 0, $"{exec}\n{ctr.Log}");
            Assert.Equal("sleep 600 ", exec.Stdout.Split('\n')[1]);
            // ctr's default spec mounts no cgroupfs inside: the limit is read on the host, in the task's cgroup.
            var limit = Path.Combine("/sys/fs/cgroup/memory", ctr.Namespace, id, "memory.limit_in_bytes");
            if (File.Exists(limit)) Assert.Equal("67108864", File.ReadAllText(limit).Trim());
            else Assert.Equal("67108864", File.ReadAllText(Path.Combine("/sys/fs/cgroup", ctr.Namespace, id, "memory.max")).Trim());

            var kill = ctr.Ctr("task", "kill", "--signal", "SIGKILL", id);
            Assert.True(kill.ExitCode == 0, kill.ToString());
            Assert.True(Command.Eventually(() => ctr.Ctr("task", "ls").Stdout.Contains("STOPPED")), "the task never stopped");
            var deleted = ctr.Ctr("task", "delete", id);
            Assert.True(deleted.ExitCode == 0, $"{deleted}\n{ctr.Log}");
            Assert.DoesNotContain(id, ctr.Ctr("task", "ls", "-q").Stdout);
        }
        finally
        {
            ctr.Ctr("task", "delete", "--force", id);
            ctr.Ctr("container", "delete", id);
        }
    }

    [Fact]
    public void MissingProgramIsReportedThroughTheShim()
    {
        // containerd-shim-runc-v2 reads the reason from the last error line of oar's --log JSON.
        var r = ctr.Ctr("run", "--rm", "--runc-binary", ctr.Oar, BusyboxImage.OciName, "ctr-missing", "/no/such/program");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("OCI runtime create failed", r.Stderr);
        Assert.Contains("/no/such/program", r.Stderr);
        Assert.DoesNotContain("ctr-missing", ctr.Ctr("container", "ls", "-q").Stdout);
    }

    [Fact]
    public void ExecWithTerminal()
    {
        const string id = "ctr-tty";
        var started = ctr.Ctr("run", "-d", "--runc-binary", ctr.Oar, BusyboxImage.OciName, id, "sleep", "600");
        Assert.True(started.ExitCode == 0, $"{started}\n{ctr.Log}");
        try
        {
            using var term = new Terminal(ctr.CommandLine("task", "exec", "-t", "--exec-id", "tty1", id, "sh"));
            Assert.True(term.WaitFor("# "), "no shell prompt:\n" + term.Screen + "\n" + ctr.Log);
            term.Type("echo exec-tty-$((6*7)) $(cat /proc/1/comm); tty; exit 6");
            Assert.True(term.WaitFor("exec-tty-42 sleep"), "no answer:\n" + term.Screen);
            Assert.Equal(6, term.WaitForExit());
            Assert.Matches(@"/dev/pts/\d+", term.Screen);
        }
        finally
        {
            ctr.Ctr("task", "kill", "--signal", "SIGKILL", id);
            Command.Eventually(() => !ctr.Ctr("task", "ls").Stdout.Contains("RUNNING"));
            ctr.Ctr("task", "delete", "--force", id);
            ctr.Ctr("container", "delete", id);
        }
    }
}
