using System.Diagnostics;
using Skiff.Engine.Shims;
using Skiff.Linux;
using Skiff.Shim.Protocol;

namespace Skiff.Engine.Tests.Shims;

/// <summary>
/// The shim writes shim-state.json and exit.json with its own small JSON writer (not System.Text.Json, whose
/// encoder tables an idle shim would keep); the engine reads them with ShimJson. These check the two agree on
/// text that needs escaping and on the values the crash probe relies on.
/// </summary>
[Collection("shim")]
public class ShimRecordTests
{
    [Fact]
    public void Records_with_quotes_backslashes_control_and_non_ASCII_characters_read_back_exactly()
    {
        using var c = new ShimContainer("oar", "/bin/sleep", "1000");
        var odd = Path.Combine(c.Dir, "q\"b\\s\tü€\u0001");
        Directory.CreateDirectory(odd);
        c.Config.AttachSocketPath = Path.Combine(odd, "attach.sock");
        c.Config.ControlSocketPath = Path.Combine(odd, "control.sock");
        var before = DateTime.UtcNow;
        var started = c.Start();

        var state = c.State!;
        Assert.Equal(c.Config.AttachSocketPath, state.AttachSocketPath);
        Assert.Equal(c.Config.ControlSocketPath, state.ControlSocketPath);
        Assert.Equal(ShimStatus.Running, state.Status);
        Assert.Equal(started.ShimPid, state.ShimPid);
        Assert.Equal(started.ContainerPid, state.ContainerPid);
        // The start time the shim parsed itself is the one the engine's liveness check compares.
        Assert.Equal(Processes.StartTime(state.ShimPid), state.ShimStartTime);
        Assert.True(ShimFiles.IsAlive(state));
        Assert.InRange(state.StartedAt.ToUniversalTime(), before.AddSeconds(-1), DateTime.UtcNow.AddSeconds(1));

        // The control socket under the odd directory works, and the exit record is read back too.
        c.Client.Stop();
        Assert.Equal(0, Processes.Signal(started.ContainerPid, Processes.SIGKILL));
        var exit = c.WaitForFinalExit();
        Assert.Equal(137, exit.ExitCode);
        Assert.Equal("", exit.Error);
        Assert.Equal(state.StartedAt, exit.StartedAt);
        Assert.True(exit.FinishedAt >= exit.StartedAt);
    }

    /// <summary>idle-path.order names methods by ILC's symbol names; a rename would silently undo the layout (the
    /// compiler ignores unknown names), so every name must exist in the published binary's symbols.</summary>
    [Fact]
    public void Every_method_in_the_idle_path_order_file_exists_in_the_shim_binary()
    {
        var dbg = Binaries.Shim + ".dbg";
        Assert.True(File.Exists(dbg), $"{dbg} is missing: publish the shim with its symbols (scripts/build.sh)");
        var psi = new ProcessStartInfo("nm", [dbg]) { RedirectStandardOutput = true };
        using var nm = Process.Start(psi)!;
        var symbols = new HashSet<string>(nm.StandardOutput.ReadToEnd().Split('\n').Select(l => l.Split(' ').Last()));
        nm.WaitForExit();
        Assert.Equal(0, nm.ExitCode);

        var order = File.ReadAllLines(Path.Combine(Binaries.RepoRoot, "src", "Skiff.Shim", "idle-path.order"))
            .Where(l => l.Trim().Length > 0).ToList();
        Assert.NotEmpty(order);
        var missing = order.Select(n => n.Trim()).Where(n => !symbols.Contains(n)).ToList();
        Assert.True(missing.Count == 0, "not in the binary (renamed or inlined?): " + string.Join(", ", missing));
    }
}
