using System.Text;
using System.Text.Json;

namespace Skiff.Cli.Commands;

/// <summary>Interim `inspect -f`: `{{.A.B}}`, `{{json .A}}` and `{{index .A "key"}}` over the inspect JSON (the full
/// Go-template engine replaces it when wired in). Values print as Go's text/template would for simple values.</summary>
public static class InspectFormat
{
    public static string Render(string template, byte[] json)
    {
        using var doc = JsonDocument.Parse(json);
        var sb = new StringBuilder();
        int i = 0;
        var t = template.Replace("\\n", "\n").Replace("\\t", "\t");
        while (i < t.Length)
        {
            int open = t.IndexOf("{{", i, StringComparison.Ordinal);
            if (open < 0) { sb.Append(t, i, t.Length - i); break; }
            sb.Append(t, i, open - i);
            int close = t.IndexOf("}}", open, StringComparison.Ordinal);
            if (close < 0) throw new UsageException("template: unclosed action");
            var expr = t[(open + 2)..close].Trim();
            bool asJson = false;
            string? index = null;
            if (expr.StartsWith("json ", StringComparison.Ordinal)) { asJson = true; expr = expr[5..].Trim(); }
            if (expr.StartsWith("index ", StringComparison.Ordinal))
            {
                var rest = expr[6..].Trim();
                var sp = rest.IndexOf(' ');
                index = rest[(sp + 1)..].Trim().Trim('"');
                expr = rest[..sp];
            }
            var el = Navigate(doc.RootElement, expr);
            if (index is not null && el is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(index, out var ie)) el = ie;
            else if (index is not null) el = null;
            sb.Append(el is null ? "<no value>" : asJson ? el.Value.GetRawText() : Text(el.Value));
            i = close + 2;
        }
        return sb.ToString();
    }

    static JsonElement? Navigate(JsonElement root, string path)
    {
        if (path == ".") return root;
        if (!path.StartsWith('.')) throw new UsageException($"template: unsupported action \"{path}\"");
        var cur = root;
        foreach (var part in path[1..].Split('.'))
        {
            if (cur.ValueKind != JsonValueKind.Object || !cur.TryGetProperty(part, out var next)) return null;
            cur = next;
        }
        return cur;
    }

    static string Text(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString()!,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "<nil>",
        JsonValueKind.Number => e.GetRawText(),
        JsonValueKind.Array => "[" + string.Join(' ', e.EnumerateArray().Select(Text)) + "]",
        _ => "map[" + string.Join(' ', e.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => $"{p.Name}:{Text(p.Value)}")) + "]",
    };
}
