using System.Text.Json;

namespace Skiff.Runtime.Spec;

/// <summary>
/// Typed reads from a <see cref="JsonElement"/> that fail with the field's path. The hot path (every create, exec,
/// start, state) reads JSON through these instead of the source-generated deserializer, whose first call costs
/// ~4 ms of metadata set-up in a process that lives for ~10 ms.
/// </summary>
public static class JsonRead
{
    public static bool Present(JsonElement e) => e.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null);

    public static void RequireObject(JsonElement e, string path)
    {
        if (e.ValueKind != JsonValueKind.Object) throw Wrong(path, "an object", e);
    }

    public static string? Str(JsonElement e, string path)
    {
        if (!Present(e)) return null;
        if (e.ValueKind != JsonValueKind.String) throw Wrong(path, "a string", e);
        return e.GetString();
    }

    public static bool Bool(JsonElement e, string path)
    {
        if (!Present(e)) return false;
        return e.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Wrong(path, "true or false", e),
        };
    }

    public static bool? OptBool(JsonElement e, string path) => Present(e) ? Bool(e, path) : null;

    public static long? Long(JsonElement e, string path)
    {
        if (!Present(e)) return null;
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt64(out long v)) throw Wrong(path, "an integer", e);
        return v;
    }

    public static ulong? ULong(JsonElement e, string path)
    {
        if (!Present(e)) return null;
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetUInt64(out ulong v)) throw Wrong(path, "a non-negative integer", e);
        return v;
    }

    public static uint? UInt(JsonElement e, string path)
    {
        if (!Present(e)) return null;
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetUInt32(out uint v)) throw Wrong(path, "a non-negative 32-bit integer", e);
        return v;
    }

    public static int? Int(JsonElement e, string path)
    {
        if (!Present(e)) return null;
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt32(out int v)) throw Wrong(path, "a 32-bit integer", e);
        return v;
    }

    public static ushort? UShort(JsonElement e, string path)
    {
        if (!Present(e)) return null;
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetUInt16(out ushort v)) throw Wrong(path, "a 16-bit unsigned integer", e);
        return v;
    }

    public static List<string>? Strings(JsonElement e, string path)
        => List(e, path, (x, p) => Str(x, p) ?? throw Wrong(p, "a string", x));

    public static List<T>? List<T>(JsonElement e, string path, Func<JsonElement, string, T> item)
    {
        if (!Present(e)) return null;
        if (e.ValueKind != JsonValueKind.Array) throw Wrong(path, "an array", e);
        var list = new List<T>(e.GetArrayLength());
        int i = 0;
        foreach (var x in e.EnumerateArray()) list.Add(item(x, $"{path}[{i++}]"));
        return list;
    }

    public static T? Obj<T>(JsonElement e, string path, Func<JsonElement, string, T> read) where T : class
    {
        if (!Present(e)) return null;
        RequireObject(e, path);
        return read(e, path);
    }

    public static Dictionary<string, T>? Map<T>(JsonElement e, string path, Func<JsonElement, string, T> value)
    {
        if (!Present(e)) return null;
        RequireObject(e, path);
        var map = new Dictionary<string, T>();
        foreach (var p in e.EnumerateObject()) map[p.Name] = value(p.Value, $"{path}.{p.Name}");
        return map;
    }

    public static Dictionary<string, string>? StringMap(JsonElement e, string path)
        => Map(e, path, (x, p) => Str(x, p) ?? throw Wrong(p, "a string", x));

    /// <summary>A property of an object, or Undefined.</summary>
    public static JsonElement P(JsonElement obj, string name) => obj.TryGetProperty(name, out var v) ? v : default;

    static SpecException Wrong(string path, string expected, JsonElement got)
        => new(path, $"must be {expected}, not {Describe(got)}");

    static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{Trim(e.GetString())}\"",
        JsonValueKind.Number => $"the number {e.GetRawText()}",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.True or JsonValueKind.False => e.GetRawText(),
        _ => "null",
    };

    static string Trim(string? s) => s is null ? "" : s.Length > 40 ? s[..40] + "…" : s;
}
