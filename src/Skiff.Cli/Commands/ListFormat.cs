using System.Text.Json;
using Skiff.Cli.Templates;

namespace Skiff.Cli.Commands;

/// <summary>The `--format` of list verbs through the Go-template engine: absent or "table" → the verb's default table;
/// "json" → one JSON object per line; "table TEMPLATE" → a table with docker's headers; any other TEMPLATE → one line
/// per row. Rows are the JSON objects docker's `--format json` prints.</summary>
public static class ListFormat
{
    /// <param name="defaultTable">the verb's default, e.g. <see cref="TableHeaders.ContainersTable"/></param>
    /// <param name="headers">docker's column names for the verb's fields</param>
    public static void Write(Context ctx, string? format, string defaultTable, IEnumerable<string> jsonRows,
        IReadOnlyDictionary<string, string> headers)
    {
        var option = FormatOption.Parse(format, defaultTable);
        var docs = jsonRows.Select(r => JsonDocument.Parse(r)).ToList();
        try
        {
            if (option.Kind == FormatKind.Json)
            {
                foreach (var d in docs) ctx.Out.WriteLine(d.RootElement.GetRawText());
                return;
            }
            ctx.Out.Write(option.Render(docs.Select(d => d.RootElement), headers));
        }
        finally
        {
            foreach (var d in docs) d.Dispose();
        }
    }

    /// <summary>The older shape (rows as field functions, a JSON writer per row, a header function): the header map is
    /// made from the fields the JSON rows carry.</summary>
    public static void Write(Context ctx, string? format, string defaultTemplate, IEnumerable<Func<string, string>> rows,
        Func<Func<string, string>, string> json, Func<string, string>? header = null)
    {
        var jsonRows = rows.Select(json).ToList();
        var headers = new Dictionary<string, string>();
        foreach (var r in jsonRows.Take(1))
        {
            using var d = JsonDocument.Parse(r);
            foreach (var p in d.RootElement.EnumerateObject()) headers[p.Name] = header?.Invoke(p.Name) ?? p.Name.ToUpperInvariant();
        }
        var table = defaultTemplate.StartsWith("table", StringComparison.Ordinal) ? defaultTemplate : "table " + defaultTemplate;
        Write(ctx, format, table, jsonRows, headers);
    }
}
