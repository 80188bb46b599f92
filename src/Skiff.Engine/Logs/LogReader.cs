using Skiff.Engine.Time;

namespace Skiff.Engine.Logs;

/// <summary>Reads a container's json-file log (<c>&lt;id&gt;-json.log</c> plus rotations <c>.1</c> (newest) …
/// <c>.N</c> (oldest)) as <c>docker logs</c> does: oldest first, records split by the writer at 16 KiB joined back,
/// <c>--since</c>/<c>--until</c> on the record time, <c>--tail N</c> on whole records, and follow mode that keeps
/// reading across rotations until the container has exited and everything it wrote has been read.</summary>
public sealed class LogReader(string logPath)
{
    public string LogPath { get; } = logPath;

    /// <summary>The log files that exist now, oldest first.</summary>
    public IReadOnlyList<string> Files()
    {
        var rotated = new List<(int N, string Path)>();
        var dir = Path.GetDirectoryName(LogPath)!;
        var prefix = Path.GetFileName(LogPath) + ".";
        if (Directory.Exists(dir))
            foreach (var f in Directory.EnumerateFiles(dir))
            {
                var name = Path.GetFileName(f);
                if (name.Length > prefix.Length && name.StartsWith(prefix, StringComparison.Ordinal)
                    && int.TryParse(name.AsSpan(prefix.Length), System.Globalization.NumberStyles.None, null, out int n) && n > 0)
                    rotated.Add((n, f));
            }
        rotated.Sort((a, b) => b.N.CompareTo(a.N));
        var list = rotated.Select(r => r.Path).ToList();
        if (File.Exists(LogPath)) list.Add(LogPath);
        return list;
    }

    /// <summary>Writes the selected records to <paramref name="emit"/>. In follow mode returns once
    /// <paramref name="running"/> says the container has stopped and the log is drained, when a record passes
    /// <c>--until</c>, or when <paramref name="cancel"/> fires.</summary>
    public void Read(LogOptions options, Action<LogEntry> emit, Func<bool>? running = null, CancellationToken cancel = default)
    {
        var joiner = new PartialJoiner();
        Queue<LogEntry>? ring = options.Tail is int t ? new Queue<LogEntry>(Math.Max(t, 0)) : null;
        bool pastUntil = false;

        void Select(LogEntry e)
        {
            if (e.Time < options.Since) return;
            if (e.Time > options.Until) { pastUntil = true; return; }
            if (ring is null) { emit(e); return; }
            if (options.Tail == 0) return;
            if (ring.Count == options.Tail) ring.Dequeue();
            ring.Enqueue(e);
        }

        void Feed(LogFileCursor c)
        {
            foreach (var line in c.ReadLines())
                if (LogLine.TryDecode(line, out var raw) && joiner.Add(raw) is { } whole) Select(whole);
        }

        // Open every file before reading any, so a rotation during the read cannot make us skip one.
        var cursors = new List<LogFileCursor>();
        foreach (var f in Files())
        {
            try { cursors.Add(new LogFileCursor(f)); }
            catch (FileNotFoundException) { }
        }
        LogFileCursor? current = null;
        try
        {
            foreach (var c in cursors) Feed(c);
            if (cursors.Count > 0 && cursors[^1].Path == LogPath) current = cursors[^1];
            if (!options.Follow)
            {
                foreach (var rest in joiner.Flush()) Select(rest);
                Drain(ring, emit);
                return;
            }
            Drain(ring, emit);
            ring = null;
            running ??= () => false;
            while (!pastUntil && !cancel.IsCancellationRequested)
            {
                bool alive = running();
                if (current is not null) Feed(current);
                // Rotation: the path now names another file; finish the old one (done above), then move over.
                while (TryReopen(ref current, cursors))
                    Feed(current!);
                if (!alive) break;
                cancel.WaitHandle.WaitOne(options.PollInterval);
            }
            foreach (var rest in joiner.Flush()) Select(rest);
        }
        finally
        {
            foreach (var c in cursors) c.Dispose();
        }
    }

    bool TryReopen(ref LogFileCursor? current, List<LogFileCursor> all)
    {
        LogFileCursor next;
        try
        {
            if (!File.Exists(LogPath)) return false;
            next = new LogFileCursor(LogPath);
        }
        catch (FileNotFoundException) { return false; }
        if (current is not null && next.Inode == current.Inode) { next.Dispose(); return false; }
        all.Add(next);
        current = next;
        return true;
    }

    static void Drain(Queue<LogEntry>? ring, Action<LogEntry> emit)
    {
        if (ring is null) return;
        while (ring.Count > 0) emit(ring.Dequeue());
    }
}
