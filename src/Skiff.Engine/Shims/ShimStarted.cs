namespace Skiff.Engine.Shims;

/// <summary>A running shim and the container init it started (host pids).</summary>
public sealed record ShimStarted(int ShimPid, int ContainerPid);
