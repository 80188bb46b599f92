namespace Skiff.Shim.Protocol;

/// <summary>
/// The last exit of the container (<c>exit.json</c>), written atomically (temp file + rename) each time the
/// container's init ends — also before a restart, so it always describes the latest run.
/// </summary>
public sealed class ShimExit
{
    /// <summary>The exit status, or 128 + signal number when a signal killed the init (docker's convention);
    /// 255 when unknown.</summary>
    public int ExitCode { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime FinishedAt { get; set; }
    /// <summary>The container's memory cgroup counted an OOM kill during this run.</summary>
    public bool OomKilled { get; set; }
    public int RestartCount { get; set; }
    /// <summary>Why the shim could not (re)start the container, if it could not; empty otherwise.</summary>
    public string Error { get; set; } = "";
    /// <summary>True when the shim will start the container again (restart policy); false when this is final.</summary>
    public bool Restarting { get; set; }
}
