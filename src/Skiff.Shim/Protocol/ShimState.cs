namespace Skiff.Shim.Protocol;

/// <summary>
/// The shim's live record (<c>shim-state.json</c>), rewritten atomically whenever it changes: at start, at each
/// restart, and when the shim exits.
/// </summary>
public sealed class ShimState
{
    public int ShimPid { get; set; }
    /// <summary>The shim's start time in clock ticks since boot (/proc/&lt;pid&gt;/stat field 22), so a recycled pid
    /// is never mistaken for the shim.</summary>
    public ulong ShimStartTime { get; set; }
    public int ContainerPid { get; set; }
    public DateTime StartedAt { get; set; }
    public int RestartCount { get; set; }
    /// <summary>One of <see cref="ShimStatus"/>'s values.</summary>
    public string Status { get; set; } = ShimStatus.Running;
    public string AttachSocketPath { get; set; } = "";
    public string ControlSocketPath { get; set; } = "";
}

public static class ShimStatus
{
    public const string Running = "running", Restarting = "restarting", Exited = "exited";
}
