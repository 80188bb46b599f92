using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Skiff.Cli.Templates;

/// <summary>What a template value is, in the terms of Go's reflect kinds for JSON decoded into interface{}.</summary>
public enum ValueKind
{
    /// <summary>Go's invalid reflect.Value: a missing map key; prints "&lt;no value&gt;".</summary>
    Missing,
    /// <summary>A nil interface{} (JSON null, the nil literal).</summary>
    Nil,
    Bool,
    Int,
    /// <summary>A byte (what index gives for a string).</summary>
    Byte,
    Float,
    String,
    Array,
    Map,
}

/// <summary>
/// One value a template works on. JSON data is converted once; objects keep their document order (for the json
/// function) and a sorted key order (for printing and range, as Go sorts map keys).
/// </summary>
public sealed class TemplateValue
{
    public static readonly TemplateValue Missing = new(ValueKind.Missing);
    public static readonly TemplateValue Nil = new(ValueKind.Nil);
    public static readonly TemplateValue True = new(ValueKind.Bool) { Bool = true };
    public static readonly TemplateValue False = new(ValueKind.Bool) { Bool = false };
    public static readonly TemplateValue EmptyString = new(ValueKind.String) { String = "" };

    public ValueKind Kind { get; }
    public bool Bool { get; private init; }
    public long Int { get; private init; }
    public double Float { get; private init; }
    public string String { get; private init; } = "";
    /// <summary>The number's JSON text when it came from JSON (the json function writes it back unchanged).</summary>
    public string? NumberText { get; private init; }
    public IReadOnlyList<TemplateValue> Items { get; private init; } = [];
    /// <summary>True for a []string (split's result) rather than []interface{}: changes only type names in errors.</summary>
    public bool StringItems { get; private init; }
    /// <summary>Object members in document order.</summary>
    public IReadOnlyList<KeyValuePair<string, TemplateValue>> Members { get; private init; } = [];
    Dictionary<string, TemplateValue>? index;
    string[]? sortedKeys;

    TemplateValue(ValueKind kind) { Kind = kind; }

    public static TemplateValue Of(bool b) => b ? True : False;
    public static TemplateValue Of(long i) => new(ValueKind.Int) { Int = i };
    public static TemplateValue OfByte(byte b) => new(ValueKind.Byte) { Int = b };
    public static TemplateValue Of(double f) => new(ValueKind.Float) { Float = f };
    public static TemplateValue Of(string s) => s.Length == 0 ? EmptyString : new(ValueKind.String) { String = s };
    public static TemplateValue Array(IReadOnlyList<TemplateValue> items, bool stringItems = false) =>
        new(ValueKind.Array) { Items = items, StringItems = stringItems };
    public static TemplateValue Map(IReadOnlyList<KeyValuePair<string, TemplateValue>> members) =>
        new(ValueKind.Map) { Members = members };

    /// <summary>A map of strings, e.g. a table's header names.</summary>
    public static TemplateValue Map(IEnumerable<KeyValuePair<string, string>> members) =>
        Map(members.Select(kv => new KeyValuePair<string, TemplateValue>(kv.Key, Of(kv.Value))).ToList());

    public static TemplateValue FromJson(JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Null: return Nil;
            case JsonValueKind.Undefined: return Missing;
            case JsonValueKind.True: return True;
            case JsonValueKind.False: return False;
            case JsonValueKind.String: return Of(e.GetString()!);
            case JsonValueKind.Number:
                {
                    var text = e.GetRawText();
                    // Docker's typed structs hold integers as Go ints: print them without a fraction.
                    if (text.IndexOfAny(['.', 'e', 'E']) < 0 && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
                        return new TemplateValue(ValueKind.Int) { Int = l, NumberText = text };
                    return new TemplateValue(ValueKind.Float) { Float = e.GetDouble(), NumberText = text };
                }
            case JsonValueKind.Array:
                {
                    var list = new List<TemplateValue>(e.GetArrayLength());
                    foreach (var item in e.EnumerateArray()) list.Add(FromJson(item));
                    return Array(list);
                }
            default:
                {
                    var members = new List<KeyValuePair<string, TemplateValue>>();
                    foreach (var p in e.EnumerateObject())
                    {
                        // Go's decoder keeps the last of duplicate keys.
                        var existing = members.FindIndex(m => m.Key == p.Name);
                        if (existing >= 0) members.RemoveAt(existing);
                        members.Add(new(p.Name, FromJson(p.Value)));
                    }
                    return Map(members);
                }
        }
    }

    public static TemplateValue FromJson(JsonNode? node)
    {
        if (node is null) return Nil;
        using var doc = JsonDocument.Parse(node.ToJsonString());
        return FromJson(doc.RootElement);
    }

    public bool TryGet(string key, out TemplateValue value)
    {
        if (index is null)
        {
            var d = new Dictionary<string, TemplateValue>(Members.Count, StringComparer.Ordinal);
            foreach (var m in Members) d[m.Key] = m.Value;
            index = d;
        }
        return index.TryGetValue(key, out value!);
    }

    /// <summary>Keys in Go's map order for printing and range: sorted by byte value.</summary>
    public IReadOnlyList<string> SortedKeys
    {
        get
        {
            if (sortedKeys is null)
            {
                var keys = Members.Select(m => m.Key).ToArray();
                System.Array.Sort(keys, StringComparer.Ordinal);
                sortedKeys = keys;
            }
            return sortedKeys;
        }
    }

    public bool IsNilOrMissing => Kind is ValueKind.Nil or ValueKind.Missing;

    /// <summary>Go's type name, for error messages.</summary>
    public string GoType => Kind switch
    {
        ValueKind.Missing => "<invalid reflect.Value>",
        ValueKind.Nil => "interface {}",
        ValueKind.Bool => "bool",
        ValueKind.Int => "int",
        ValueKind.Byte => "uint8",
        ValueKind.Float => "float64",
        ValueKind.String => "string",
        ValueKind.Array => StringItems ? "[]string" : "[]interface {}",
        _ => "map[string]interface {}",
    };

    /// <summary>Length in Go's terms: bytes for a string.</summary>
    public int Length => Kind switch
    {
        ValueKind.String => System.Text.Encoding.UTF8.GetByteCount(String),
        ValueKind.Array => Items.Count,
        ValueKind.Map => Members.Count,
        _ => 0,
    };

    /// <summary>Go's truth: false for the zero value of the type, an empty string, array or map, and nil.</summary>
    public bool IsTrue => Kind switch
    {
        ValueKind.Bool => Bool,
        ValueKind.Int or ValueKind.Byte => Int != 0,
        ValueKind.Float => Float != 0,
        ValueKind.String => String.Length > 0,
        ValueKind.Array => Items.Count > 0,
        ValueKind.Map => Members.Count > 0,
        _ => false,
    };

    public override string ToString() => GoFormat.Sprint(this);
}
