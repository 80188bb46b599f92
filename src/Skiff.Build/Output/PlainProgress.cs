using System.Diagnostics;
using System.Globalization;
using Skiff.Build.Execution;

namespace Skiff.Build.Output;

/// <summary>BuildKit's plain progress: "#N [stage k/n] INSTRUCTION", then "#N 0.123 output line", and "#N DONE 1.2s",
/// "#N CACHED" or "#N ERROR: …". Lines of concurrent stages interleave, each prefixed with its step number.</summary>
public sealed class PlainProgress(TextWriter w) : IBuildProgress
{
    readonly object _gate = new();
    readonly Dictionary<int, Stopwatch> _clocks = [];

    public void Started(int id, string label, string text)
    {
        lock (_gate)
        {
            _clocks[id] = Stopwatch.StartNew();
            w.WriteLine($"#{id} {label} {text}");
            w.Flush();
        }
    }

    public void Output(int id, string line)
    {
        lock (_gate)
        {
            var t = _clocks.TryGetValue(id, out var c) ? c.Elapsed.TotalSeconds : 0;
            w.WriteLine($"#{id} {t.ToString("0.000", CultureInfo.InvariantCulture)} {line}");
            w.Flush();
        }
    }

    public void Cached(int id) { lock (_gate) { w.WriteLine($"#{id} CACHED"); w.Flush(); } }

    public void Finished(int id, TimeSpan elapsed)
    {
        lock (_gate) { w.WriteLine($"#{id} DONE {elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s"); w.Flush(); }
    }

    public void Failed(int id, TimeSpan elapsed, string error)
    {
        lock (_gate)
        {
            var first = error.Split('\n')[0];
            w.WriteLine($"#{id} ERROR: {first}");
            w.Flush();
        }
    }

    public void Message(string text) { lock (_gate) { w.WriteLine($"# {text}"); w.Flush(); } }
}
