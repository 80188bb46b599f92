namespace Skiff.Build.Syntax;

/// <summary>The flags one instruction accepts, checked as docker's BFlags does: unknown flag, a string flag without
/// <c>=value</c>, a repeated single flag, a bool flag with a value other than true/false are errors.</summary>
internal sealed class FlagSet(string instruction)
{
    private enum Kind { String, Bool, List }

    private readonly Dictionary<string, Kind> _defined = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> _bools = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _lists = new(StringComparer.Ordinal);

    public FlagSet String(string name) { _defined[name] = Kind.String; return this; }
    public FlagSet Bool(string name) { _defined[name] = Kind.Bool; return this; }
    public FlagSet List(string name) { _defined[name] = Kind.List; return this; }

    public string? GetString(string name) => _strings.GetValueOrDefault(name);
    public bool GetBool(string name) => _bools.GetValueOrDefault(name);
    public bool? GetOptionalBool(string name) => _bools.TryGetValue(name, out var b) ? b : null;
    public IReadOnlyList<string> GetList(string name) => _lists.TryGetValue(name, out var l) ? l : [];

    public List<InstructionFlag> Parse(IReadOnlyList<Words.Word> raw, LogicalLine line)
    {
        var parsed = new List<InstructionFlag>();
        foreach (var w in raw)
        {
            var pos = line.At(w.Offset);
            string arg = w.Text;
            if (!arg.StartsWith("--", StringComparison.Ordinal))
                throw new DockerfileSyntaxException(pos, $"arg should start with -- : {arg}");
            if (arg == "--") break;
            arg = arg[2..];
            int eq = arg.IndexOf('=');
            string? value = eq >= 0 ? arg[(eq + 1)..] : null;
            string name = eq >= 0 ? arg[..eq] : arg;
            if (!_defined.TryGetValue(name, out var kind))
            {
                string expected = _defined.Count == 0
                    ? $"{instruction} takes no flags"
                    : $"{instruction} accepts {string.Join(", ", _defined.Keys.Order(StringComparer.Ordinal).Select(k => "--" + k))}";
                throw new DockerfileSyntaxException(pos, $"unknown flag: {name} ({expected})");
            }
            if (kind != Kind.List && (_strings.ContainsKey(name) || _bools.ContainsKey(name)))
                throw new DockerfileSyntaxException(pos, $"duplicate flag specified: {name}");
            switch (kind)
            {
                case Kind.Bool:
                    if (value is not null && value.Length == 0)
                        throw new DockerfileSyntaxException(pos, $"missing a value on flag: {name}");
                    _bools[name] = (value ?? "true").ToLowerInvariant() switch
                    {
                        "true" => true,
                        "false" => false,
                        _ => throw new DockerfileSyntaxException(pos, $"expecting boolean value for flag {name}, not: {value}"),
                    };
                    break;
                case Kind.String:
                    if (value is null) throw new DockerfileSyntaxException(pos, $"missing a value on flag: {name} (expected --{name}=<value>)");
                    _strings[name] = value;
                    break;
                case Kind.List:
                    if (value is null) throw new DockerfileSyntaxException(pos, $"missing a value on flag: {name} (expected --{name}=<value>)");
                    if (!_lists.TryGetValue(name, out var l)) _lists[name] = l = [];
                    l.Add(value);
                    break;
            }
            parsed.Add(new InstructionFlag(name, value, pos));
        }
        return parsed;
    }
}
