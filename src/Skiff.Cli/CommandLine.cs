namespace Skiff.Cli;

/// <summary>A small docker-style argument parser: --flag, --flag=value, --flag value, -x, repeated flags, positionals,
/// and "--" to end flags. Each verb declares which flags take a value; unknown flags are an error.</summary>
public sealed class CommandLine
{
    readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    public List<string> Positionals { get; } = [];

    /// <param name="interspersed">false: flags end at the first positional (run/exec: what follows the image or
    /// container is the command's own argv).</param>
    public static CommandLine Parse(IReadOnlyList<string> args, string[] booleans, string[] valued, bool interspersed = true)
    {
        var c = new CommandLine();
        bool flagsDone = false;
        for (int i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (flagsDone || a == "-" || !a.StartsWith('-'))
            {
                c.Positionals.Add(a);
                if (!interspersed) flagsDone = true;
                continue;
            }
            // Combined short flags: -it, -dit, -itw /dir (a valued one may come last).
            if (a.Length > 2 && a[1] != '-' && !a.Contains('=') && !valued.Contains(a) && !booleans.Contains(a)
                && a[1..].All(ch => booleans.Contains("-" + ch) || valued.Contains("-" + ch)))
            {
                for (int k = 1; k < a.Length; k++)
                {
                    var f = "-" + a[k];
                    if (valued.Contains(f))
                    {
                        if (k != a.Length - 1) { c.Add(f, a[(k + 1)..]); break; }
                        if (i + 1 >= args.Count) throw new UsageException($"flag needs an argument: {f}");
                        c.Add(f, args[++i]);
                    }
                    else c.Add(f, "true");
                }
                continue;
            }
            if (a == "--") { flagsDone = true; continue; }
            string name = a;
            string? value = null;
            int eq = a.IndexOf('=');
            if (eq > 0) { name = a[..eq]; value = a[(eq + 1)..]; }
            if (valued.Contains(name))
            {
                if (value is null)
                {
                    if (i + 1 >= args.Count) throw new UsageException($"flag needs an argument: {name}");
                    value = args[++i];
                }
                c.Add(name, value);
            }
            else if (booleans.Contains(name))
                c.Add(name, value ?? "true");
            else throw new UsageException($"unknown flag: {name}");
        }
        return c;
    }

    void Add(string name, string v)
    {
        if (!_values.TryGetValue(name, out var l)) _values[name] = l = [];
        l.Add(v);
    }

    public bool Has(params string[] names) => names.Any(n => _values.ContainsKey(n) && _values[n][^1] != "false");
    public string? Value(params string[] names)
    {
        foreach (var n in names) if (_values.TryGetValue(n, out var l)) return l[^1];
        return null;
    }
    public IReadOnlyList<string> Values(string name) => _values.TryGetValue(name, out var l) ? l : [];
}

/// <summary>Wrong use of the command line: exit code 125 as docker does.</summary>
public sealed class UsageException(string message) : Exception(message);
