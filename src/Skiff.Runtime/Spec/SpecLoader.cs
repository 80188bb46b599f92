using System.Text.Json;

namespace Skiff.Runtime.Spec;

/// <summary>Reads config.json and turns JSON errors into messages that name the field.</summary>
public static class SpecLoader
{
    public static RuntimeSpec Parse(ReadOnlyMemory<byte> json, string what = "config.json")
        => Read(json, what, SpecReader.Read);

    /// <summary>Parses with a <see cref="JsonDocument"/> and a hand reader (the hot path: no serializer set-up).</summary>
    public static T Read<T>(ReadOnlyMemory<byte> json, string what, Func<JsonElement, T> read)
    {
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
            if (doc.RootElement.ValueKind == JsonValueKind.Null) throw new SpecException(what, "the file holds JSON null, not an object");
            return read(doc.RootElement);
        }
        catch (JsonException e) { throw FromJson(e, what); }
        catch (SpecException e) when (!e.Field.StartsWith(what, StringComparison.Ordinal))
        {
            throw new SpecException(e.Field == "$" ? what : $"{what}: {e.Field}", e.Reason);
        }
    }

    static SpecException FromJson(JsonException e, string what)
    {
        // "$.process.user.uid" → "process.user.uid"; the reason without the path/line tail.
        var field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? what : $"{what}: {e.Path.TrimStart('$', '.')}";
        var reason = e.Message;
        int cut = reason.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut > 0) reason = reason[..cut];
        if (e.LineNumber is long line) reason += $" (line {line + 1}, column {e.BytePositionInLine + 1})";
        return new SpecException(field, reason.TrimEnd('.'));
    }
}
