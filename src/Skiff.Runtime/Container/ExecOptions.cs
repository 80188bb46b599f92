namespace Skiff.Runtime.Container;

/// <summary>The flags of `oar exec` once the process has been put together.</summary>
public sealed class ExecOptions
{
    public required string Id { get; init; }
    /// <summary>Makes the process from the container's config (its process is the base runc's flags override).</summary>
    public required Func<Spec.RuntimeSpec, Spec.Process> Process { get; init; }
    public bool Detach { get; init; }
    public string? PidFile { get; init; }
    public string? ConsoleSocket { get; init; }
    public int ConsoleSocketFd { get; init; } = -1;
    public int PreserveFds { get; init; }
}
