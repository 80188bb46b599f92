namespace Skiff.Shim.Protocol;

/// <summary>
/// The control socket's line protocol: one command per connection, a line in, a line back (<c>ok</c> or
/// <c>error &lt;message&gt;</c>).
/// </summary>
public static class ControlCommands
{
    /// <summary>No more restarts: the next exit is final (the engine kills the container itself).</summary>
    public const string Stop = "stop";
    /// <summary><c>resize &lt;rows&gt; &lt;cols&gt;</c>: the pty's window size (terminal containers).</summary>
    public const string Resize = "resize";
    /// <summary>Closes the container's stdin (EOF for the process reading it).</summary>
    public const string CloseStdin = "close-stdin";
}

/// <summary>Docker's stdcopy stream ids, the first byte of each 8-byte frame header on a non-terminal attach.</summary>
public static class StdStream
{
    public const byte Stdin = 0, Stdout = 1, Stderr = 2;
}
