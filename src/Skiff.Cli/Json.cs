using System.Text;
using System.Text.Json;

namespace Skiff.Cli;

/// <summary>Output JSON written field by field (no reflection: the CLI is NativeAOT).</summary>
public static class Json
{
    public static string Object(Action<Utf8JsonWriter> body, bool indented = false)
    {
        var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = indented, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    public static string Array(IEnumerable<Action<Utf8JsonWriter>> items)
    {
        var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartArray();
            foreach (var i in items) { w.WriteStartObject(); i(w); w.WriteEndObject(); }
            w.WriteEndArray();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    public static void StringArray(Utf8JsonWriter w, string name, IEnumerable<string>? values)
    {
        if (values is null) { w.WriteNull(name); return; }
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }

    /// <summary>Copies a JSON document (raw bytes) in as a property value.</summary>
    public static void Raw(Utf8JsonWriter w, string name, byte[] json)
    {
        w.WritePropertyName(name);
        w.WriteRawValue(json, skipInputValidation: false);
    }
}
