using System.Diagnostics;

namespace Skiff.Engine.Tests;

/// <summary>--rm without a daemon: a detached --rm container is removed by its shim's exit command (`skiff container
/// cleanup --rm`) as soon as it exits, with no further skiff command; a foreground run --rm removes it itself (exactly
/// one remover, no error); a killed foreground session or a killed shim still ends with the container removed.</summary>
[Collection("Networking")]
public sealed class AutoRemoveTests : IClassFixture<EngineRoot>
{
    readonly EngineRoot _e;
    public AutoRemoveTests(EngineRoot e) => _e = e;

    string ContainerDir(string id) => Path.Combine(_e.DataRoot, "containers", id);

    /// <summary>Polls the container's directory only (no skiff command, so nothing but the shim's exit command or the
    /// foreground session can remove it) until it is gone.</summary>
    void AwaitDirectoryGone(string id, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (Directory.Exists(ContainerDir(id)))
        {
            if (DateTime.UtcNow > deadline)
            {
                var files = Directory.Exists(ContainerDir(id)) ? string.Join(", ", Directory.GetFileSystemEntries(ContainerDir(id)).Select(Path.GetFileName)) : "";
                throw new Xunit.Sdk.XunitException($"container {id} still has its directory after {seconds} s: {files}");
            }
            Thread.Sleep(50);
        }
    }

    static string[] Links(string master)
    {
        var psi = new ProcessStartInfo("ip", ["-o", "link", "show", "master", master]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var text = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Processes whose command line names the container (its shim, a clean-up still running).</summary>
    static List<string> ProcessesOf(string id)
        => Directory.GetDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)).Where(d =>
        {
            try { return File.ReadAllText(Path.Combine(d, "cmdline")).Contains(id, StringComparison.Ordinal); }
            catch (IOException) { return false; }
        }).Select(d => d + ": " + File.ReadAllText(Path.Combine(d, "cmdline")).Replace('\0', ' ')).ToList();

    void AssertNothingLeft(string id)
    {
        Assert.Empty(_e.Traces(id));
        Assert.False(File.Exists(Path.Combine(_e.RunRoot, "netns", id)), "network namespace left");
        Assert.False(Directory.Exists(Path.Combine(_e.RunRoot, "shims", id[..12])), "shim socket directory left");
        // The clean-up process may still be on its way out after the directory went; it ends by itself.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (ProcessesOf(id) is { Count: > 0 } left)
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("processes left: " + string.Join("; ", left));
            Thread.Sleep(50);
        }
    }

    static bool HoldsPidfd(int pid)
    {
        try
        {
            foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
                if (new FileInfo(fd).LinkTarget is { } target && target.Contains("[pidfd]", StringComparison.Ordinal)) return true;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return false;
    }

    List<string> Actions(string id)
        => _e.Ok("events", "--since", "0", "--until", DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds().ToString(),
                "--filter", "container=" + id, "--format", "{{.Action}}")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();

    [Fact]
    public void Detached_rm_is_removed_by_its_shim_as_soon_as_it_exits()
    {
        const string net = "lcrmnet", bridge = "lcrm0";
        _e.Run("network", "rm", net);
        _e.Ok("network", "create", "--subnet", "10.96.7.0/24", "-o", $"com.docker.network.bridge.name={bridge}", net);
        try
        {
            var id = _e.Ok("run", "-d", "--rm", "--network", net, EngineRoot.Image, "sleep", "1").Trim();
            Assert.Equal(64, id.Length);
            Assert.True(Directory.Exists(ContainerDir(id)));
            Assert.Single(Links(bridge));
            AwaitDirectoryGone(id);

            AssertNothingLeft(id);
            Assert.Empty(Links(bridge));
            var actions = Actions(id);
            Assert.Equal(1, actions.Count(a => a == "die"));
            Assert.Equal(1, actions.Count(a => a == "destroy"));
            Assert.Equal("destroy", actions[^1]);
            Assert.DoesNotContain(id[..12], _e.Ok("ps", "-aq"));
        }
        finally { _e.Run("network", "rm", net); }
    }

    [Fact]
    public void Wait_on_a_detached_rm_container_reports_its_real_exit_code()
    {
        var id = _e.Ok("run", "-d", "--rm", EngineRoot.Image, "sh", "-c", "while [ ! -e /tmp/go ]; do sleep 0.05; done; exit 5").Trim();
        using var wait = _e.Start("wait", id);
        wait.StandardInput.Close();
        // Let the container exit only once `wait` is waiting (it holds a pidfd on the shim), so the removal races
        // with a wait in progress rather than with wait's start-up.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!HoldsPidfd(wait.Id))
        {
            if (wait.HasExited) Assert.Fail("wait ended early: " + wait.StandardError.ReadToEnd());
            Assert.True(DateTime.UtcNow < deadline, "wait never started waiting");
            Thread.Sleep(20);
        }
        File.WriteAllText(Path.Combine(ContainerDir(id), "rootfs", "tmp", "go"), "");
        var output = wait.StandardOutput.ReadToEnd();
        wait.WaitForExit();
        Assert.Equal(0, wait.ExitCode);
        Assert.Equal("5\n", output);
        AwaitDirectoryGone(id);
        AssertNothingLeft(id);
    }

    [Fact]
    public void Foreground_rm_has_exactly_one_remover_and_prints_no_error()
    {
        for (int i = 0; i < 5; i++)
        {
            var cid = Path.Combine(_e.DataRoot, $"fg-{i}.cid");
            var r = _e.Run("run", "--rm", "--cidfile", cid, EngineRoot.Image, "sh", "-c", "echo out; echo err >&2; exit 3");
            Assert.Equal(3, r.Exit);
            Assert.Equal("out\n", r.Out);
            Assert.Equal("err\n", r.Err);
            var id = File.ReadAllText(cid).Trim();
            Assert.False(Directory.Exists(ContainerDir(id)), "the foreground run returned before removing the container");
            AssertNothingLeft(id);
            var actions = Actions(id);
            Assert.Equal(1, actions.Count(a => a == "destroy"));
            Assert.Equal(1, actions.Count(a => a == "die"));
        }
    }

    /// <summary>Killed as soon as the shim runs the container (possibly before the CLI recorded the start: the
    /// engine adopts such a start), or once the record says running.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Foreground_rm_whose_cli_is_killed_is_removed_by_the_shim(bool afterRecordSaysRunning)
    {
        var cid = Path.Combine(_e.DataRoot, $"killed-fg-{afterRecordSaysRunning}.cid");
        using var p = _e.Start("run", "--rm", "--cidfile", cid, EngineRoot.Image, "sleep", "3");
        p.StandardInput.Close();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        bool Ready()
        {
            var dir = ContainerDir(ReadId(cid) ?? "none");
            if (!File.Exists(Path.Combine(dir, "shim-state.json"))) return false;
            if (!afterRecordSaysRunning) return true;
            try
            {
                using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "container.json")));
                return doc.RootElement.GetProperty("State").GetProperty("Status").GetString() == "running";
            }
            catch (IOException) { return false; }
        }
        while (!Ready())
        {
            Assert.True(DateTime.UtcNow < deadline, "the container did not start");
            Thread.Sleep(50);
        }
        p.Kill();
        p.WaitForExit();
        var id = ReadId(cid)!;
        Assert.True(Directory.Exists(ContainerDir(id)));
        AwaitDirectoryGone(id);
        AssertNothingLeft(id);
    }

    static string? ReadId(string cidFile)
    {
        try { return File.ReadAllText(cidFile).Trim() is { Length: 64 } s ? s : null; }
        catch (IOException) { return null; }
    }

    [Fact]
    public void Restart_keeps_an_rm_container_and_its_later_exit_removes_it()
    {
        var id = _e.Ok("run", "-d", "--rm", "--name", "lifecycle-rm-restart", EngineRoot.Image, "sleep", "300").Trim();
        var firstPid = _e.Inspect(id).GetProperty("State").GetProperty("Pid").GetInt32();
        _e.Ok("restart", "-t", "1", "lifecycle-rm-restart"); // docker keeps an --rm container across a restart
        var j = _e.Inspect(id);
        Assert.Equal("running", j.GetProperty("State").GetProperty("Status").GetString());
        Assert.NotEqual(firstPid, j.GetProperty("State").GetProperty("Pid").GetInt32());
        // The first shim's clean-up found it running again and left it; the second shim's removes it after it exits.
        Assert.Equal(0, Linux.Processes.Signal(j.GetProperty("State").GetProperty("Pid").GetInt32(), Linux.Processes.SIGKILL));
        AwaitDirectoryGone(id);
        AssertNothingLeft(id);
    }

    [Fact]
    public void Detached_rm_whose_shim_was_killed_is_removed_by_the_next_command()
    {
        var id = _e.Ok("run", "-d", "--rm", EngineRoot.Image, "sleep", "300").Trim();
        var state = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(ContainerDir(id), "shim-state.json"))).RootElement;
        int shim = state.GetProperty("shimPid").GetInt32(), init = state.GetProperty("containerPid").GetInt32();
        Assert.Equal(0, Linux.Processes.Signal(shim, Linux.Processes.SIGKILL));
        while (Linux.Processes.State(shim) is not (null or 'Z' or 'X')) Thread.Sleep(20);
        Assert.Equal(0, Linux.Processes.Signal(init, Linux.Processes.SIGKILL));
        while (Linux.Processes.State(init) is not (null or 'Z' or 'X')) Thread.Sleep(20);
        // No shim, so no exit command: the lazy path (the next command that sees it stopped) removes it.
        Assert.True(Directory.Exists(ContainerDir(id)));
        Assert.DoesNotContain(id[..12], _e.Ok("ps", "-aq"));
        Assert.False(Directory.Exists(ContainerDir(id)));
        AssertNothingLeft(id);
    }
}
