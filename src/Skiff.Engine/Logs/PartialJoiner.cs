namespace Skiff.Engine.Logs;

/// <summary>Joins records the writer split (a record whose text does not end in "\n" continues in the next record of
/// the same stream), keeping the first part's time.</summary>
internal sealed class PartialJoiner
{
    readonly Dictionary<string, (LogEntry First, System.Text.StringBuilder Text)> _open = new(StringComparer.Ordinal);

    /// <summary>The whole record when <paramref name="part"/> completes one, else null.</summary>
    public LogEntry? Add(LogEntry part)
    {
        bool complete = part.Text.EndsWith('\n');
        if (_open.TryGetValue(part.Stream, out var o))
        {
            o.Text.Append(part.Text);
            if (!complete) return null;
            _open.Remove(part.Stream);
            return o.First with { Text = o.Text.ToString() };
        }
        if (complete) return part;
        _open[part.Stream] = (part, new System.Text.StringBuilder(part.Text));
        return null;
    }

    /// <summary>What is left at the end (output that ended without a newline), oldest first.</summary>
    public IEnumerable<LogEntry> Flush()
    {
        var rest = _open.Values.Select(o => o.First with { Text = o.Text.ToString() }).OrderBy(e => e.Time).ToList();
        _open.Clear();
        return rest;
    }
}
