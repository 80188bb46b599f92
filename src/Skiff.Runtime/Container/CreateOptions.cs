namespace Skiff.Runtime.Container;

/// <summary>The flags of `oar create` (and the create half of `oar run`).</summary>
public sealed record CreateOptions
{
    public required string Id { get; init; }
    public required string Bundle { get; init; }
    public string? PidFile { get; init; }
    public string? ConsoleSocket { get; init; }
    /// <summary>An already connected console socket (foreground `run -t` makes its own pair); wins over the path.</summary>
    public int ConsoleSocketFd { get; init; } = -1;
    /// <summary>Called when the config wants a terminal and no console socket was given: returns a connected
    /// console socket fd (foreground `run` proxies the pty itself).</summary>
    public Func<int>? ConsoleFactory { get; init; }
    public bool NoPivot { get; init; }
    public bool NoNewKeyring { get; init; }
    public int PreserveFds { get; init; }
    /// <summary>`run` in the foreground: oar becomes a subreaper so it can wait for the container's init.</summary>
    public bool Subreaper { get; init; }
    public bool SystemdCgroup { get; init; }
}
