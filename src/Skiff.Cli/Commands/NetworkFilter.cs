using System.Text.RegularExpressions;
using Skiff.Engine.Networking;

namespace Skiff.Cli.Commands;

/// <summary>
/// `network ls --filter` with docker's semantics: values of the same key are alternatives (OR), different keys must
/// all hold (AND); `name` and `id` match exactly or as a regular expression (so a part of the name matches, `^web$`
/// anchors); `driver` and `scope` exactly; every `label` (key or key=value) must be on the network, no `label!` may be;
/// `type` custom|builtin; `dangling` true|false (a user network without containers).
/// </summary>
sealed class NetworkFilter
{
    static readonly string[] Keys = ["dangling", "driver", "id", "label", "label!", "name", "scope", "type"];
    readonly Dictionary<string, List<string>> _terms;
    readonly bool? _dangling;

    NetworkFilter(Dictionary<string, List<string>> terms, bool? dangling)
    {
        _terms = terms;
        _dangling = dangling;
    }

    public static NetworkFilter Parse(IEnumerable<string> filters)
    {
        var terms = new Dictionary<string, List<string>>();
        foreach (var f in filters)
        {
            int eq = f.IndexOf('=');
            if (eq <= 0) throw new UsageException($"bad format of filter (expected name=value): {f}");
            var (key, value) = (f[..eq].Trim().ToLowerInvariant(), f[(eq + 1)..].Trim());
            if (!Keys.Contains(key)) throw new Skiff.Engine.EngineException(Skiff.Engine.EngineErrorKind.InvalidArgument, $"invalid filter '{key}'");
            if (!terms.TryGetValue(key, out var list)) terms[key] = list = [];
            if (!list.Contains(value)) list.Add(value);
        }
        foreach (var t in terms.GetValueOrDefault("type") ?? [])
            if (t is not ("custom" or "builtin")) throw new Skiff.Engine.EngineException(Skiff.Engine.EngineErrorKind.InvalidArgument, $"invalid filter: 'type'='{t}'");
        bool? dangling = null;
        if (terms.TryGetValue("dangling", out var d))
        {
            if (d.Count > 1) throw new Skiff.Engine.EngineException(Skiff.Engine.EngineErrorKind.InvalidArgument, "got more than one value for filter key \"dangling\"");
            dangling = d[0] switch
            {
                "1" or "true" => true,
                "0" or "false" => false,
                _ => throw new Skiff.Engine.EngineException(Skiff.Engine.EngineErrorKind.InvalidArgument, "invalid value for filter 'dangling', must be \"true\" (or \"1\"), or \"false\" (or \"0\")"),
            };
        }
        return new NetworkFilter(terms, dangling);
    }

    static bool Builtin(NetworkInfo n) => n.Name is "bridge" or "host" or "none";

    public bool Matches(NetworkInfo n)
    {
        if (_terms.TryGetValue("driver", out var drivers) && !drivers.Contains(n.Driver)) return false;
        if (_terms.TryGetValue("scope", out var scopes) && !scopes.Contains(n.Scope)) return false;
        if (_terms.TryGetValue("name", out var names) && !names.Any(v => Match(v, n.Name))) return false;
        if (_terms.TryGetValue("id", out var ids) && !ids.Any(v => Match(v, n.Id))) return false;
        if (_terms.TryGetValue("label", out var labels) && !labels.All(v => HasLabel(n, v))) return false;
        if (_terms.TryGetValue("label!", out var notLabels) && notLabels.All(v => HasLabel(n, v))) return false;
        if (_terms.TryGetValue("type", out var types) && !types.Any(t => t == "builtin" ? Builtin(n) : !Builtin(n))) return false;
        if (_dangling is { } dangling && (!Builtin(n) && n.Containers.Count == 0) != dangling) return false;
        return true;
    }

    /// <summary>docker's filters.Match: the exact string, or a regular expression found anywhere in the value.</summary>
    static bool Match(string pattern, string value)
    {
        if (pattern == value) return true;
        try { return Regex.IsMatch(value, pattern, RegexOptions.None, TimeSpan.FromSeconds(1)); }
        catch (ArgumentException) { return false; }
    }

    static bool HasLabel(NetworkInfo n, string term)
    {
        int eq = term.IndexOf('=');
        if (eq < 0) return n.Labels.ContainsKey(term);
        return n.Labels.TryGetValue(term[..eq], out var v) && v == term[(eq + 1)..];
    }
}
