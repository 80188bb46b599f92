using System.Text;

namespace Skiff.Cli.Commands;

/// <summary>Interim `--format` for `{{.Field}}` placeholders (the full Go-template engine replaces it when wired in).</summary>
public static class SimpleTemplate
{
    public static string[] Render(string template, Func<string, string> field)
        => Split(template).Select(part => Expand(part, field)).ToArray();

    public static string[] Headers(string template)
        => Split(template).Select(part => Expand(part, f => Header(f))).ToArray();

    static string Header(string f) => f switch
    {
        "ID" => "CONTAINER ID", "RunningFor" => "CREATED", "CreatedAt" => "CREATED AT", "Names" => "NAMES",
        _ => f.ToUpperInvariant(),
    };

    static string[] Split(string t) => t.Replace("\\t", "\t").Split('\t');

    static string Expand(string t, Func<string, string> field)
    {
        var sb = new StringBuilder();
        int i = 0;
        while (i < t.Length)
        {
            int open = t.IndexOf("{{", i, StringComparison.Ordinal);
            if (open < 0) { sb.Append(t, i, t.Length - i); break; }
            sb.Append(t, i, open - i);
            int close = t.IndexOf("}}", open, StringComparison.Ordinal);
            if (close < 0) throw new UsageException($"template: unclosed action in \"{t}\"");
            var expr = t[(open + 2)..close].Trim();
            if (!expr.StartsWith('.')) throw new UsageException($"template: unsupported action \"{expr}\" (only {{{{.Field}}}} here)");
            sb.Append(field(expr[1..]));
            i = close + 2;
        }
        return sb.ToString();
    }
}
