namespace Skiff.Cli.Commands;

/// <summary>The `--format` of list verbs (volume ls, stats): absent or "table" → the default columns; "json" → one JSON
/// object per line; "table TEMPLATE" → a table with headers; any other TEMPLATE → one line per row.</summary>
public static class ListFormat
{
    public static void Write(Context ctx, string? format, string defaultTemplate, IEnumerable<Func<string, string>> rows,
        Func<Func<string, string>, string> json, Func<string, string>? header = null)
    {
        if (format == "json")
        {
            foreach (var r in rows) ctx.Out.WriteLine(json(r));
            return;
        }
        bool table = format is null or "table" || format.StartsWith("table ", StringComparison.Ordinal);
        var tmpl = format is null or "table" ? defaultTemplate : table ? format[6..] : format;
        var lines = new List<string[]>();
        if (table)
            lines.Add(header is null ? SimpleTemplate.Headers(tmpl)
                : tmpl.Replace("\\t", "\t").Split('\t').Select(p => System.Text.RegularExpressions.Regex.Replace(p, @"\{\{\s*\.(\w+)\s*\}\}", m => header(m.Groups[1].Value))).ToArray());
        foreach (var r in rows) lines.Add(SimpleTemplate.Render(tmpl, r));
        if (table) Table.Write(ctx.Out, lines);
        else foreach (var l in lines) ctx.Out.WriteLine(string.Join("\t", l));
    }
}
