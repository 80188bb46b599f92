using Skiff.Engine.Time;

namespace Skiff.Engine.Logs;

/// <summary><c>skiff logs</c> flags: <c>--tail</c> (null = all), <c>--since</c>/<c>--until</c>, <c>-f</c>.</summary>
public sealed record LogOptions
{
    public int? Tail { get; init; }
    public Timestamp Since { get; init; } = Timestamp.MinValue;
    public Timestamp Until { get; init; } = Timestamp.MaxValue;
    public bool Follow { get; init; }
    /// <summary>How often follow mode looks for new data (the file is polled: no inotify on every filesystem).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(100);
}
