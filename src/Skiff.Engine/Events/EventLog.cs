using Skiff.Engine.Logs;
using Skiff.Engine.Time;
using Skiff.Linux;

namespace Skiff.Engine.Events;

/// <summary>The engine's event journal: <c>&lt;DataRoot&gt;/events.jsonl</c>, one docker event JSON per line, appended
/// by every CLI process (O_APPEND under an flock on <c>events.lock</c>, one write per event). When the file passes
/// <see cref="MaxBytes"/> it becomes <c>events.jsonl.1</c> (the previous .1 is dropped), so the journal stays bounded.
/// <c>skiff events</c> reads it with since/until/filters and, without --until, follows it.</summary>
public sealed class EventLog(string dataRoot)
{
    public string Path { get; } = System.IO.Path.Combine(dataRoot, "events.jsonl");
    string LockPath => System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path)!, "events.lock");
    public string RotatedPath => Path + ".1";

    /// <summary>Rotation size (8 MiB ≈ 30,000 events).</summary>
    public long MaxBytes { get; init; } = 8 << 20;

    public EngineEvent Append(string type, string action, string actorId, IReadOnlyDictionary<string, string>? attributes = null)
    {
        var ev = new EngineEvent(type, action, actorId, attributes ?? new Dictionary<string, string>(), Timestamp.Now);
        Append(ev);
        return ev;
    }

    public void Append(EngineEvent ev)
    {
        var json = ev.ToJson();
        var line = new byte[json.Length + 1];
        json.CopyTo(line, 0);
        line[^1] = (byte)'\n';
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        using var lk = Locks.Take(LockPath, exclusive: true);
        using (var fd = Files.Open(Path, Files.O_WRONLY | Files.O_CREAT | Files.O_APPEND, 0x180))
        {
            Files.WriteAll(fd.Value, line, Path);
            if (Files.Fstat(fd.Value, Path).Size < MaxBytes) return;
        }
        File.Move(Path, RotatedPath, overwrite: true);
    }

    /// <summary>Emits past events in [since, until] (oldest first); then, when <paramref name="follow"/>, new events as
    /// they are appended until <paramref name="until"/> passes or <paramref name="cancel"/> fires.</summary>
    public void Read(Timestamp since, Timestamp until, EventFilter filter, bool follow, Action<EngineEvent> emit,
        CancellationToken cancel = default, TimeSpan? poll = null)
    {
        var cursors = new List<LogFileCursor>();
        try
        {
            foreach (var p in new[] { RotatedPath, Path })
                try { cursors.Add(new LogFileCursor(p)); } catch (FileNotFoundException) { } catch (DirectoryNotFoundException) { }
            bool Feed(LogFileCursor c)
            {
                foreach (var line in c.ReadLines())
                {
                    if (!EngineEvent.TryParse(line, out var e) || e.Time < since) continue;
                    if (e.Time > until) return false;
                    if (filter.Matches(e)) emit(e);
                }
                return true;
            }
            foreach (var c in cursors) if (!Feed(c)) return;
            if (!follow) return;
            var current = cursors.LastOrDefault(c => c.Path == Path);
            while (!cancel.IsCancellationRequested && Timestamp.Now <= until)
            {
                if (current is not null && !Feed(current)) return;
                LogFileCursor? next = null;
                try { next = File.Exists(Path) ? new LogFileCursor(Path) : null; } catch (FileNotFoundException) { }
                if (next is not null && (current is null || next.Inode != current.Inode))
                {
                    if (current is not null && !Feed(current)) return; // the rest of the file that was rotated away
                    cursors.Add(next);
                    current = next;
                    continue;
                }
                next?.Dispose();
                cancel.WaitHandle.WaitOne(poll ?? TimeSpan.FromMilliseconds(200));
            }
        }
        finally
        {
            foreach (var c in cursors) c.Dispose();
        }
    }
}
