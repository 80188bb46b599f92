using Skiff.Images.Transfer;

namespace Skiff.Cli;

/// <summary>Shows pull/push progress: on a terminal one redrawn line per layer with a bar; when piped, one plain line
/// per state change (no bars, no escape codes).</summary>
public sealed class ProgressView(TextWriter output, bool terminal) : IProgress<TransferProgress>
{
    readonly List<string> _order = [];
    readonly Dictionary<string, TransferProgress> _state = [];
    readonly object _gate = new();
    int _drawn;
    long _lastDraw;

    public void Report(TransferProgress p)
    {
        lock (_gate)
        {
            bool isNew = !_state.TryGetValue(p.Id, out var prev);
            bool phaseChanged = isNew || prev!.Phase != p.Phase;
            bool isLayer = p.Id.Length == 12 && p.Id.All(char.IsAsciiHexDigitLower);
            if (!isLayer)
            {
                if (p.Phase == TransferPhase.Done && p.Detail is not null) { Redraw(force: true); output.WriteLine(p.Detail); _drawn = 0; _order.Clear(); }
                return;
            }
            if (isNew) _order.Add(p.Id);
            _state[p.Id] = p;
            if (!terminal)
            {
                if (phaseChanged && p.Phase != TransferPhase.Waiting) output.WriteLine($"{p.Id}: {Label(p)}");
                return;
            }
            Redraw(force: phaseChanged);
        }
    }

    void Redraw(bool force)
    {
        if (!terminal) return;
        long now = Environment.TickCount64;
        if (!force && now - _lastDraw < 100) return;
        _lastDraw = now;
        if (_drawn > 0) output.Write($"\x1b[{_drawn}A");
        foreach (var id in _order)
        {
            var p = _state[id];
            output.Write("\x1b[2K");
            output.WriteLine($"{id}: {Label(p),-18} {Bar(p)}");
        }
        _drawn = _order.Count;
        output.Flush();
    }

    static string Label(TransferProgress p) => p.Phase switch
    {
        TransferPhase.Waiting => "Waiting",
        TransferPhase.Downloading => "Downloading",
        TransferPhase.Extracting => "Extracting",
        TransferPhase.Exists => p.Detail ?? "Already exists",
        TransferPhase.Done => p.Detail ?? "Done",
        TransferPhase.Uploading => "Pushing",
        TransferPhase.Mounted => p.Detail ?? "Mounted",
        TransferPhase.Pushed => "Pushed",
        TransferPhase.Failed => "Failed: " + p.Detail,
        _ => p.Phase.ToString(),
    };

    static string Bar(TransferProgress p)
    {
        if (p.Phase is not (TransferPhase.Downloading or TransferPhase.Uploading) || p.Total <= 0) return "";
        const int width = 30;
        int fill = (int)Math.Clamp(p.Current * width / p.Total, 0, width);
        return $"[{new string('=', Math.Max(0, fill - 1))}{(fill > 0 ? ">" : "")}{new string(' ', width - fill)}] {Size.Human(p.Current)}/{Size.Human(p.Total)}";
    }
}
