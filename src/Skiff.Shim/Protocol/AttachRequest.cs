namespace Skiff.Shim.Protocol;

/// <summary>
/// The first line an attach client writes to the attach socket. Afterwards the shim streams output — framed with
/// docker's stdcopy header when the container has no terminal, raw when it has — and copies what the client writes
/// to the container's stdin (when <see cref="Stdin"/> and the container is OpenStdin). The client half-closing its
/// side ends its stdin; with StdinOnce that closes the container's stdin.
/// </summary>
public sealed class AttachRequest
{
    public bool Stdin { get; set; }
    public bool Stdout { get; set; } = true;
    public bool Stderr { get; set; } = true;
    /// <summary>Not served by the shim: the engine replays the log file itself before attaching.</summary>
    public bool Logs { get; set; }
}
