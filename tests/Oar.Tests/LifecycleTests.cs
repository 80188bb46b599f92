using System.Text.Json;
using Oar.Tests.Fixtures;
using Skiff.Runtime.Spec;

namespace Oar.Tests;

/// <summary>create/start/state/kill/delete behave as runc's: the user process runs only after start.</summary>
public sealed class LifecycleTests : IDisposable
{
    readonly Runtime oar = Runtime.Oar();
    public void Dispose() => oar.Dispose();

    [Fact]
    public void DeleteKillsWhatOutlivesInitWithoutAPidNamespace()
    {
        // `podman run --pid host … sh -c 'sleep & wait'` then `podman kill`: init dies, its child stays.
        var marker = $"{Random.Shared.Next(100000, 999999)}";
        bool SleepAlive() => Leftovers.Processes($"sleep {marker}").Any(pid =>
        {
            try { return File.ReadAllText($"/proc/{pid}/comm").Trim() == "sleep"; } catch (IOException) { return false; }
        });
        using var b = Bundle.Shell($"sleep {marker} & wait");
        b.Spec.Linux!.Namespaces!.RemoveAll(n => n.Type == "pid");
        var id = oar.NewId();
        var r = oar.Run(b.Write(), id, "--detach");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.True(SpinUntil(SleepAlive), "the child never started");
        Assert.Equal(0, oar.Exec("kill", id, "KILL").ExitCode);
        Assert.True(SpinUntil(() => oar.StatusOf(id) == "stopped"), "init did not stop");
        Assert.True(SleepAlive(), "the child died with init: nothing to test");

        var deleted = oar.Exec("delete", id);
        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        Assert.True(SpinUntil(() => !SleepAlive()), "the child outlived delete");
        Assert.Empty(Leftovers.CgroupDirs(id));
    }

    [Fact]
    public void CreateThenStartRunsTheProcessOnlyAfterStart()
    {
        var marker = Path.Combine(Path.GetTempPath(), "oar-marker-" + Guid.NewGuid().ToString("N"));
        using var b = Bundle.Shell("echo started > /marker/out; sleep 30");
        Directory.CreateDirectory(marker);
        try
        {
            b.Spec.Mounts!.Add(new Mount { Destination = "/marker", Type = "bind", Source = marker, Options = ["rbind", "rw"] });
            var id = oar.NewId();
            var pidFile = Path.Combine(b.Dir, "pid");
            var c = oar.Create(b, id, "--pid-file", pidFile);
            Assert.True(c.ExitCode == 0, c.ToString());

            var state = JsonDocument.Parse(oar.Exec("state", id).Stdout).RootElement;
            Assert.Equal("created", state.GetProperty("status").GetString());
            Assert.Equal(id, state.GetProperty("id").GetString());
            Assert.Equal(b.Dir, state.GetProperty("bundle").GetString());
            int pid = state.GetProperty("pid").GetInt32();
            Assert.Equal(pid.ToString(), File.ReadAllText(pidFile));
            Assert.True(Directory.Exists($"/proc/{pid}"));
            // The init sits in the container's namespaces and cgroup, but the user process has not run.
            Assert.NotEqual(Readlink("/proc/self/ns/pid"), Readlink($"/proc/{pid}/ns/pid"));
            Assert.Contains($":/{id}", File.ReadAllText($"/proc/{pid}/cgroup"));
            Thread.Sleep(200);
            Assert.False(File.Exists(Path.Combine(marker, "out")));

            Assert.Equal(0, oar.Exec("start", id).ExitCode);
            Assert.True(SpinUntil(() => File.Exists(Path.Combine(marker, "out"))));
            Assert.Equal("running", oar.StatusOf(id));
            Assert.NotEqual(0, oar.Exec("start", id).ExitCode);

            Assert.Equal(0, oar.Exec("kill", id, "KILL").ExitCode);
            Assert.True(SpinUntil(() => oar.StatusOf(id) == "stopped"));
            Assert.Equal(0, JsonDocument.Parse(oar.Exec("state", id).Stdout).RootElement.GetProperty("pid").GetInt32());
            Assert.Equal(0, oar.Exec("delete", id).ExitCode);
            Assert.Equal("absent", oar.StatusOf(id));
            Assert.Empty(Leftovers.CgroupDirs(id));
            Assert.False(Directory.Exists(Path.Combine(oar.Root, id)));
        }
        finally { Directory.Delete(marker, true); }
    }

    [Fact]
    public void DeleteRefusesARunningContainerUnlessForced()
    {
        using var b = Bundle.Shell("sleep 60");
        var id = oar.NewId();
        Assert.Equal(0, oar.Create(b, id).ExitCode);
        Assert.Equal(0, oar.Exec("start", id).ExitCode);
        var d = oar.Exec("delete", id);
        Assert.Equal(1, d.ExitCode);
        Assert.Contains("not stopped", d.Stderr);
        int pid = oar.PidOf(id);
        Assert.Equal(0, oar.Exec("delete", "--force", id).ExitCode);
        Assert.False(File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z"));
        Assert.Empty(Leftovers.CgroupDirs(id));
    }

    [Fact]
    public void DeleteOfACreatedContainerRemovesItsInit()
    {
        using var b = Bundle.Shell("true");
        var id = oar.NewId();
        Assert.Equal(0, oar.Create(b, id).ExitCode);
        int pid = oar.PidOf(id);
        Assert.Equal(0, oar.Exec("delete", id).ExitCode);
        Assert.True(SpinUntil(() => !Alive(pid)));
        Assert.Empty(Leftovers.CgroupDirs(id));
    }

    [Fact]
    public void KillTakesSignalsByNameAndNumberAndAll()
    {
        using var b = Bundle.Shell("trap 'echo got-usr1' USR1; while true; do sleep 0.1; done");
        var id = oar.NewId();
        Assert.Equal(0, oar.Create(b, id).ExitCode);
        Assert.Equal(0, oar.Exec("start", id).ExitCode);
        Assert.Equal(0, oar.Exec("kill", id, "SIGUSR1").ExitCode);
        Assert.Equal(0, oar.Exec("kill", id, "10").ExitCode);
        Assert.Equal(1, oar.Exec("kill", id, "SIGNOPE").ExitCode);
        Assert.Equal(0, oar.Exec("kill", "--all", id, "9").ExitCode);
        Assert.True(SpinUntil(() => oar.StatusOf(id) == "stopped"));
        Assert.NotEqual(0, oar.Exec("kill", id, "TERM").ExitCode);
    }

    [Fact]
    public void ListShowsContainersAsTableJsonAndQuiet()
    {
        using var b = Bundle.Shell("sleep 30");
        var id = oar.NewId();
        Assert.Equal(0, oar.Create(b, id).ExitCode);
        var table = oar.Exec("list").Stdout;
        Assert.StartsWith("ID", table);
        Assert.Contains(id, table);
        Assert.Contains("created", table);
        Assert.Equal(id + "\n", oar.Exec("list", "-q").Stdout);
        var json = JsonDocument.Parse(oar.Exec("list", "--format", "json").Stdout).RootElement;
        Assert.Equal("created", json[0].GetProperty("status").GetString());
    }

    [Fact]
    public void ForegroundRunDeletesItsStateUnlessKeep()
    {
        using var b = Bundle.Shell("exit 0");
        var id = oar.NewId();
        Assert.Equal(0, oar.Run(b, id).ExitCode);
        Assert.Equal("absent", oar.StatusOf(id));
        var kept = oar.NewId();
        Assert.Equal(0, oar.Run(b, kept, "--keep").ExitCode);
        Assert.Equal("stopped", oar.StatusOf(kept));
    }

    [Fact]
    public void DetachedRunLeavesTheContainerRunning()
    {
        using var b = Bundle.Shell("sleep 30");
        var id = oar.NewId();
        Assert.Equal(0, oar.Run(b, id, "--detach").ExitCode);
        Assert.Equal("running", oar.StatusOf(id));
    }

    [Fact]
    public void PreservedFdsReachTheContainerAndNoOthers()
    {
        using var b = Bundle.Shell("ls /proc/self/fd");
        var psi = new System.Diagnostics.ProcessStartInfo("/bin/sh", ["-c", $"exec 3</etc/hostname; exec 5</etc/hostname; \"$0\" --root {oar.Root} run --preserve-fds 1 --bundle {b.Dir} {oar.NewId()}", OarBinary.Path])
        { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        b.Write();
        var r = Runtime.RunProcess(psi, null, TimeSpan.FromSeconds(60));
        Assert.True(r.ExitCode == 0, r.ToString());
        // 0,1,2, the preserved 3, and ls's own directory fd; never 5.
        var fds = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();
        Assert.Contains(3, fds);
        Assert.DoesNotContain(5, fds);
        Assert.True(fds.Count <= 5, r.Stdout);
    }

    [Fact]
    public void HooksRunInOrderWithStateOnStdin()
    {
        var log = Path.Combine(Path.GetTempPath(), "oar-hooks-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(log);
        try
        {
            using var b = Bundle.Shell("echo process >> /hooklog/order");
            b.Spec.Mounts!.Add(new Mount { Destination = "/hooklog", Type = "bind", Source = log, Options = ["rbind", "rw"] });
            Hook H(string name, string file) => new() { Path = "/bin/sh", Args = ["sh", "-c", $"read -r state; echo {name} >> {file}; echo \"$state\" > {file}.{name}.json"] };
            b.Spec.Hooks = new Hooks
            {
                Prestart = [H("prestart", $"{log}/order")],
                CreateRuntime = [H("createRuntime", $"{log}/order")],
                // createContainer runs in the container's mount namespace before pivot_root: host paths still resolve.
                CreateContainer = [H("createContainer", $"{log}/order")],
                // startContainer runs inside the container after pivot_root: container paths, container binaries.
                StartContainer = [new Hook { Path = "/bin/sh", Args = ["sh", "-c", "echo startContainer >> /hooklog/order"] }],
                Poststart = [H("poststart", $"{log}/order")],
                Poststop = [H("poststop", $"{log}/order")],
            };
            var id = oar.NewId();
            var r = oar.Run(b, id);
            Assert.True(r.ExitCode == 0, r.ToString());
            var order = File.ReadAllLines(Path.Combine(log, "order")).ToList();
            // poststart may run before or after the (short) process; everything else is ordered.
            order.Remove("poststart");
            Assert.Equal(new[] { "prestart", "createRuntime", "createContainer", "startContainer", "process", "poststop" }, order);
            var state = JsonDocument.Parse(File.ReadAllText(Path.Combine(log, "order.prestart.json"))).RootElement;
            Assert.Equal(id, state.GetProperty("id").GetString());
            Assert.True(state.GetProperty("pid").GetInt32() > 0);
            Assert.Equal("stopped", JsonDocument.Parse(File.ReadAllText(Path.Combine(log, "order.poststop.json"))).RootElement.GetProperty("status").GetString());
        }
        finally { Directory.Delete(log, true); }
    }

    [Fact]
    public void FailingPrestartHookFailsCreateAndLeavesNothing()
    {
        using var b = Bundle.Shell("true");
        b.Spec.Hooks = new Hooks { Prestart = [new Hook { Path = "/bin/sh", Args = ["sh", "-c", "exit 7"] }] };
        var id = oar.NewId();
        var r = oar.Create(b, id);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("prestart[0]", r.Stderr);
        Assert.Contains("exited with status 7", r.Stderr);
        Assert.Equal("absent", oar.StatusOf(id));
        Assert.Empty(Leftovers.CgroupDirs(id));
    }

    [Fact]
    public void HookTimeoutIsHonoured()
    {
        using var b = Bundle.Shell("true");
        b.Spec.Hooks = new Hooks { CreateRuntime = [new Hook { Path = "/bin/sleep", Args = ["sleep", "30"], Timeout = 1 }] };
        var id = oar.NewId();
        var r = oar.Create(b, id);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("timed out after 1s", r.Stderr);
        Assert.Equal("absent", oar.StatusOf(id));
    }

    internal static bool SpinUntil(Func<bool> condition, int seconds = 10)
        => SpinWait.SpinUntil(() => { if (condition()) return true; Thread.Sleep(20); return false; }, TimeSpan.FromSeconds(seconds));

    static bool Alive(int pid)
    {
        try { return !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z"); }
        catch (IOException) { return false; }
    }

    static string Readlink(string path) => new FileInfo(path).LinkTarget ?? "";
}
