using System.Diagnostics;
using System.Globalization;
using System.Text;
using Skiff.Build.Execution;

namespace Skiff.Build.Output;

/// <summary>A live view for a terminal: one line per step with its state and time, and the last few output lines of
/// steps still running, redrawn in place ten times a second. The final frame stays on screen.</summary>
public sealed class TtyProgress : IBuildProgress, IDisposable
{
    sealed class Step
    {
        public required int Id;
        public required string Text;
        public Stopwatch Clock = Stopwatch.StartNew();
        public string State = "";
        public TimeSpan? Done;
        public readonly Queue<string> Tail = new();
    }

    readonly TextWriter _w;
    readonly object _gate = new();
    readonly List<Step> _steps = [];
    readonly List<string> _messages = [];
    readonly Timer _timer;
    readonly Stopwatch _total = Stopwatch.StartNew();
    int _lastLines;
    readonly int _width;

    public TtyProgress(TextWriter w)
    {
        _w = w;
        try { _width = Math.Max(40, Console.WindowWidth); } catch (IOException) { _width = 100; }
        _timer = new Timer(_ => Draw(), null, 100, 100);
    }

    Step? Find(int id) => _steps.FirstOrDefault(s => s.Id == id);

    public void Started(int id, string label, string text) { lock (_gate) _steps.Add(new Step { Id = id, Text = $"{label} {text}" }); }
    public void Output(int id, string line)
    {
        lock (_gate)
        {
            if (Find(id) is not { } s) return;
            s.Tail.Enqueue(line);
            if (s.Tail.Count > 6) s.Tail.Dequeue();
        }
    }
    public void Cached(int id) { lock (_gate) if (Find(id) is { } s) { s.State = "CACHED"; s.Done = TimeSpan.Zero; s.Tail.Clear(); } }
    public void Finished(int id, TimeSpan elapsed) { lock (_gate) if (Find(id) is { } s) { s.State = "DONE"; s.Done = elapsed; s.Tail.Clear(); } }
    public void Failed(int id, TimeSpan elapsed, string error) { lock (_gate) if (Find(id) is { } s) { s.State = "ERROR"; s.Done = elapsed; } }
    public void Message(string text) { lock (_gate) _messages.Add(text); }

    void Draw()
    {
        lock (_gate)
        {
            var sb = new StringBuilder();
            if (_lastLines > 0) sb.Append($"\x1b[{_lastLines}F");
            var lines = new List<string> { $"[+] Building {_total.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s ({_steps.Count(s => s.Done is not null)}/{_steps.Count} steps)" };
            lines.AddRange(_messages.Select(m => " => " + m));
            foreach (var s in _steps)
            {
                var t = (s.Done ?? s.Clock.Elapsed).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s";
                var state = s.State == "CACHED" ? "CACHED" : s.State == "ERROR" ? "ERROR " + t : t;
                lines.Add(Fit($" => #{s.Id} {s.Text}", _width - state.Length - 2) + " " + state);
                if (s.Done is null) foreach (var l in s.Tail) lines.Add(Fit("    " + l, _width - 1));
            }
            foreach (var l in lines) sb.Append(l).Append("\x1b[K\n");
            for (int i = lines.Count; i < _lastLines; i++) sb.Append("\x1b[K\n");
            _lastLines = Math.Max(lines.Count, _lastLines);
            _w.Write(sb.ToString());
            _w.Flush();
        }
    }

    static string Fit(string s, int width)
    {
        s = s.Replace('\t', ' ');
        if (width < 4) width = 4;
        return s.Length > width ? s[..(width - 3)] + "..." : s.PadRight(width);
    }

    public void Dispose()
    {
        _timer.Dispose();
        Draw();
    }
}
