using System.Text;
using System.Text.Json;

namespace Skiff.Cli.Templates;

public enum FormatKind
{
    /// <summary><c>table TEMPLATE</c> (or the verb's default table): a header row, then aligned rows.</summary>
    Table,
    /// <summary><c>json</c>: each object as one line of JSON.</summary>
    Json,
    /// <summary>Any other text: the template per object, each followed by a newline.</summary>
    Template,
}

/// <summary>
/// docker's <c>--format</c> for list verbs (ps, images, volume ls, network ls): <c>table</c> or empty for the
/// verb's default table, <c>table {{...}}</c>, <c>json</c> (one JSON object per line), or a template. As in docker,
/// a literal <c>\t</c> or <c>\n</c> in the option stands for a tab or newline, and spaces around it are trimmed.
/// Errors carry docker's prefix: <c>template parsing error: template: :1: ...</c>.
/// </summary>
public sealed class FormatOption
{
    public FormatKind Kind { get; }
    public GoTemplate Template { get; }

    FormatOption(FormatKind kind, GoTemplate template)
    {
        Kind = kind;
        Template = template;
    }

    /// <param name="format">the option's value; null or empty means the verb's default table</param>
    /// <param name="defaultTable">the verb's default, e.g. <see cref="TableHeaders.ContainersTable"/></param>
    public static FormatOption Parse(string? format, string defaultTable)
    {
        if (string.IsNullOrEmpty(format) || format == "table") format = defaultTable;
        FormatKind kind;
        string text;
        if (format == "json") { kind = FormatKind.Json; text = "{{json .}}"; }
        else
        {
            kind = format.StartsWith("table", StringComparison.Ordinal) ? FormatKind.Table : FormatKind.Template;
            text = kind == FormatKind.Table ? format["table".Length..] : format;
            text = text.Trim(' ').Replace("\\t", "\t").Replace("\\n", "\n");
        }
        try
        {
            return new FormatOption(kind, GoTemplate.Parse(text));
        }
        catch (TemplateException e)
        {
            throw new TemplateException("template parsing error: " + e.Message, e.Line, e.Column);
        }
    }

    /// <summary>True when the template names the field (docker checks for .Size to ask for sizes).</summary>
    public bool Uses(string field) => Template.Text.Contains("." + field, StringComparison.Ordinal);

    public string Render(IEnumerable<JsonElement> rows, IReadOnlyDictionary<string, string> headers) =>
        Render(rows.Select(TemplateValue.FromJson), headers);

    /// <summary>Renders all rows; the first failing row stops it with docker's error.</summary>
    public string Render(IEnumerable<TemplateValue> rows, IReadOnlyDictionary<string, string> headers)
    {
        var body = new StringBuilder();
        foreach (var row in rows)
        {
            try
            {
                Template.Execute(body, row);
            }
            catch (TemplateException e)
            {
                throw new TemplateException("template parsing error: " + e.Message, e.Line, e.Column);
            }
            body.Append('\n');
        }
        if (Kind != FormatKind.Table) return body.ToString();

        // docker: the header is the same template run over the column names, with functions that keep a name
        // intact; an error there only cuts the header short.
        var table = new StringBuilder();
        try
        {
            Template.Execute(table, TemplateValue.Map(headers.OrderBy(h => h.Key, StringComparer.Ordinal)), Functions.DockerHeader);
        }
        catch (TemplateException) { }
        table.Append('\n').Append(body);
        return new TabWriter().Format(table.ToString());
    }
}
