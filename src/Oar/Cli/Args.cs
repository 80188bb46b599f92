namespace Oar.Cli;

/// <summary>A small runc-style argument reader: flags may be -f, --flag, -flag, --flag=value or --flag value;
/// anything else is a positional argument. Each command declares which flags take a value.</summary>
public sealed class Args
{
    readonly Dictionary<string, List<string>> values = new();
    readonly HashSet<string> switches = new();
    public List<string> Positional { get; } = [];

    public static Args Parse(IReadOnlyList<string> argv, int start, HashSet<string> valueFlags, HashSet<string> boolFlags, string command)
    {
        var a = new Args();
        for (int i = start; i < argv.Count; i++)
        {
            var s = argv[i];
            if (s == "--") { for (i++; i < argv.Count; i++) a.Positional.Add(argv[i]); break; }
            if (s.Length > 1 && s[0] == '-' && !IsNumber(s))
            {
                var name = s.TrimStart('-');
                string? inline = null;
                int eq = name.IndexOf('=');
                if (eq >= 0) { inline = name[(eq + 1)..]; name = name[..eq]; }
                if (valueFlags.Contains(name))
                {
                    if (inline is null)
                    {
                        if (i + 1 >= argv.Count) throw new UsageException($"{command}: flag --{name} needs a value");
                        inline = argv[++i];
                    }
                    if (!a.values.TryGetValue(name, out var list)) a.values[name] = list = [];
                    list.Add(inline);
                }
                else if (boolFlags.Contains(name))
                {
                    if (inline is null || inline == "true") a.switches.Add(name);
                    else if (inline != "false") throw new UsageException($"{command}: flag --{name} takes true or false, not \"{inline}\"");
                }
                else throw new UsageException($"{command}: unknown flag {s}");
            }
            else a.Positional.Add(s);
        }
        return a;
    }

    static bool IsNumber(string s) => s.Length > 1 && s[0] == '-' && s.Skip(1).All(char.IsAsciiDigit);

    /// <summary>The last value given for any of <paramref name="names"/>.</summary>
    public string? Value(params string[] names)
    {
        foreach (var n in names) if (values.TryGetValue(n, out var v)) return v[^1];
        return null;
    }

    /// <summary>Every value given for <paramref name="names"/> (repeatable flags such as --env).</summary>
    public List<string> Values(params string[] names)
    {
        var all = new List<string>();
        foreach (var n in names) if (values.TryGetValue(n, out var v)) all.AddRange(v);
        return all;
    }

    public bool Has(params string[] names) => names.Any(switches.Contains);
}

public sealed class UsageException(string message) : Exception(message);
