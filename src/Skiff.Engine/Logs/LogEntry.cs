using Skiff.Engine.Time;

namespace Skiff.Engine.Logs;

/// <summary>One json-file log record (docker's format: <c>{"log":"..","stream":"stdout","time":"RFC3339Nano"}</c>).
/// <see cref="Text"/> ends with "\n" unless it is the end of the output without one; records the shim splits at 16 KiB
/// are joined back by the reader.</summary>
public sealed record LogEntry(string Stream, Timestamp Time, string Text)
{
    public bool IsStderr => Stream == "stderr";
}
