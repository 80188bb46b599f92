using System.Text.Json;
using Skiff.Linux;
using Skiff.Shim.Protocol;

namespace Skiff.Engine.Shims;

/// <summary>
/// Reads what a shim leaves on disk and tells the engine the container's true condition, also after a shim or
/// engine crash (see <see cref="Probe"/> and docs/shim.md).
/// </summary>
public static class ShimFiles
{
    /// <summary>Where <see cref="ShimLauncher"/> writes the shim's config: next to its state file.</summary>
    public static string ConfigPath(ShimConfig config) => Path.Combine(Path.GetDirectoryName(config.StatePath)!, "shim.json");

    public static ShimConfig? ReadConfig(string path) => Read(path, ShimJson.Default.ShimConfig);
    public static ShimState? ReadState(string path) => Read(path, ShimJson.Default.ShimState);
    public static ShimExit? ReadExit(string path) => Read(path, ShimJson.Default.ShimExit);

    static T? Read<T>(string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) where T : class
    {
        try { return JsonSerializer.Deserialize(File.ReadAllBytes(path), type); }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
        catch (JsonException) { return null; } // written by rename, so a torn file means a foreign writer: treat as absent
    }

    /// <summary>True when the process <paramref name="state"/> names is still this shim (same pid and start time:
    /// a recycled pid is not mistaken for it) and not a zombie.</summary>
    public static bool IsAlive(ShimState state)
    {
        if (state.ShimPid <= 0) return false;
        var start = Processes.StartTime(state.ShimPid);
        if (start is null || (state.ShimStartTime != 0 && start != state.ShimStartTime)) return false;
        return Processes.State(state.ShimPid) is not ('Z' or 'X' or null);
    }

    /// <summary>
    /// The container's condition from the shim's files, the shim's liveness and — only when the shim is gone
    /// without a final record — <c>&lt;runtime&gt; state</c>.
    /// </summary>
    public static ShimCondition Probe(ShimConfig config)
    {
        var state = ReadState(config.StatePath);
        if (state is null) return ShimCondition.NotStarted;
        var exit = ReadExit(config.ExitPath);
        if (IsAlive(state))
            return state.Status == ShimStatus.Restarting ? ShimCondition.Restarting : ShimCondition.Running;
        if (state.Status == ShimStatus.Exited && exit is not null) return ShimCondition.Exited;
        return RuntimeStatus(config) switch
        {
            "running" or "paused" or "created" => ShimCondition.ShimLostContainerRunning,
            _ => ShimCondition.ShimLostContainerStopped,
        };
    }

    /// <summary><c>&lt;runtime&gt; --root R state &lt;id&gt;</c>'s "status", or null when the runtime does not know the
    /// container (or failed).</summary>
    public static string? RuntimeStatus(ShimConfig config)
    {
        var r = CapturedRun.Run(config.RuntimePath, ["--root", config.RuntimeRoot, .. config.RuntimeArgs, "state", config.Id]);
        var output = r.Stdout;
        if (r.ExitCode != 0) return null;
        try
        {
            using var doc = JsonDocument.Parse(output);
            return doc.RootElement.TryGetProperty("status", out var s) ? s.GetString() : null;
        }
        catch (JsonException) { return null; }
    }
}

/// <summary>What <see cref="ShimFiles.Probe"/> found. See docs/shim.md for what the engine does in each case.</summary>
public enum ShimCondition
{
    /// <summary>No shim-state.json: the shim never reported success.</summary>
    NotStarted,
    /// <summary>The shim lives and the container runs (or is paused) under it.</summary>
    Running,
    /// <summary>The shim lives and waits out a restart delay; exit.json describes the last run.</summary>
    Restarting,
    /// <summary>The shim recorded a final exit (exit.json) and ended.</summary>
    Exited,
    /// <summary>The shim died (e.g. SIGKILL) while the runtime still reports the container running: nobody
    /// collects its output or exit status any more.</summary>
    ShimLostContainerRunning,
    /// <summary>The shim died and the container is stopped or gone: its exit status is lost (255, as containerd
    /// reports an unknown exit).</summary>
    ShimLostContainerStopped,
}
