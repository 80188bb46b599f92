namespace Skiff.Engine.Events;

/// <summary><c>--filter</c> for events as docker applies it: values of one key are alternatives (OR), different keys
/// must all match (AND). Keys: type, event (the action; "exec_start" also matches "exec_start: sh"), container (id,
/// id prefix or name), image (image attribute or image event id), label (key or key=value on the attributes),
/// network, volume, scope.</summary>
public sealed class EventFilter
{
    static readonly string[] Keys = ["type", "event", "container", "image", "label", "network", "volume", "scope"];
    readonly Dictionary<string, List<string>> _terms = new(StringComparer.Ordinal);

    public static EventFilter Parse(IEnumerable<string> filters)
    {
        var f = new EventFilter();
        foreach (var raw in filters)
        {
            int eq = raw.IndexOf('=');
            if (eq <= 0) throw new ArgumentException($"bad format of filter (expected name=value): {raw}");
            var key = raw[..eq];
            if (!Keys.Contains(key)) throw new ArgumentException($"invalid filter '{key}'");
            if (!f._terms.TryGetValue(key, out var l)) f._terms[key] = l = [];
            l.Add(raw[(eq + 1)..]);
        }
        return f;
    }

    public bool Matches(EngineEvent e)
    {
        foreach (var (key, values) in _terms)
            if (!values.Any(v => Match(key, v, e))) return false;
        return true;
    }

    static bool Match(string key, string v, EngineEvent e) => key switch
    {
        "type" => e.Type == v,
        "event" => e.Action == v || e.Action.StartsWith(v + ":", StringComparison.Ordinal),
        "scope" => e.Scope == v,
        "container" => e.Type == "container" && (IdMatch(e.ActorId, v) || Attr(e, "name") == v)
                       || e.Type == "network" && (Attr(e, "container") is { } c && IdMatch(c, v)),
        "image" => e.Type == "container" && (Attr(e, "image") == v)
                   || e.Type == "image" && (IdMatch(e.ActorId, v) || e.ActorId == v || Attr(e, "name") == v),
        "network" => e.Type == "network" && (IdMatch(e.ActorId, v) || Attr(e, "name") == v),
        "volume" => e.Type == "volume" && e.ActorId == v,
        "label" => LabelMatch(e, v),
        _ => false,
    };

    static string? Attr(EngineEvent e, string k) => e.Attributes.TryGetValue(k, out var v) ? v : null;

    static bool IdMatch(string id, string v) => v.Length > 0 && id.StartsWith(v, StringComparison.Ordinal);

    static bool LabelMatch(EngineEvent e, string v)
    {
        int eq = v.IndexOf('=');
        if (eq < 0) return e.Attributes.ContainsKey(v);
        return Attr(e, v[..eq]) == v[(eq + 1)..];
    }
}
