using System.Text;
using System.Text.Json;

namespace Skiff.Cli.Templates;

/// <summary>
/// A parsed Go text/template (the subset docker's --format uses; no define/template/block). Parse once, render
/// over JSON data as docker renders over its inspect and list objects.
/// </summary>
public sealed class GoTemplate
{
    readonly ListNode root;

    public string Name { get; }
    public string Text { get; }
    public IReadOnlyDictionary<string, FunctionSpec> Functions { get; }

    GoTemplate(string name, string text, ListNode root, IReadOnlyDictionary<string, FunctionSpec> functions)
    {
        Name = name;
        Text = text;
        this.root = root;
        Functions = functions;
    }

    /// <summary>Parses <paramref name="text"/>; throws <see cref="TemplateException"/> naming the line.
    /// Functions default to docker's set (Go's builtins plus json, split, join, title, lower, upper, pad, truncate).</summary>
    public static GoTemplate Parse(string text, IReadOnlyDictionary<string, FunctionSpec>? functions = null, string name = "")
    {
        var fns = functions ?? Templates.Functions.Docker;
        var root = Parser.Parse(name, text, fns.ContainsKey);
        return new GoTemplate(name, text, root, fns);
    }

    public string Render(JsonElement data, MissingKey missingKey = MissingKey.Default) =>
        Render(TemplateValue.FromJson(data), missingKey);

    public string Render(TemplateValue data, MissingKey missingKey = MissingKey.Default)
    {
        var b = new StringBuilder();
        Execute(b, data, null, missingKey);
        return b.ToString();
    }

    /// <summary>Runs the template, appending to <paramref name="output"/>. As in Go, what was written before an
    /// error stays written. <paramref name="functions"/> replaces the function set (same names), as docker does
    /// for table headers.</summary>
    public void Execute(StringBuilder output, TemplateValue data, IReadOnlyDictionary<string, FunctionSpec>? functions = null,
        MissingKey missingKey = MissingKey.Default)
    {
        new Evaluator(Name, Text, functions ?? Functions, missingKey, output).Execute(root, data);
    }

    public override string ToString() => root.ToString();
}
