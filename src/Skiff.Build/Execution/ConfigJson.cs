using System.Text;
using System.Text.Json;

namespace Skiff.Build.Execution;

/// <summary>Small JSON values for the image config fields the Images model keeps as raw JSON (Healthcheck, Shell,
/// OnBuild, ExposedPorts/Volumes values), written without reflection.</summary>
public static class ConfigJson
{
    public static JsonElement EmptyObject { get; } = Parse("{}");

    public static JsonElement Parse(string json)
    {
        using var d = JsonDocument.Parse(json);
        return d.RootElement.Clone();
    }

    public static JsonElement Strings(IEnumerable<string> values) => Parse(StringArray(values));

    public static string StringArray(IEnumerable<string> values)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartArray();
            foreach (var v in values) w.WriteStringValue(v);
            w.WriteEndArray();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    public static string[]? ReadStrings(JsonElement e)
        => e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().Select(x => x.GetString() ?? "").ToArray() : null;

    public static JsonElement Healthcheck(IReadOnlyList<string> test, TimeSpan? interval, TimeSpan? timeout, TimeSpan? start, TimeSpan? startInterval, int? retries)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteStartArray("Test");
            foreach (var t in test) w.WriteStringValue(t);
            w.WriteEndArray();
            if (interval is { } i && i > TimeSpan.Zero) w.WriteNumber("Interval", i.Ticks * 100);
            if (timeout is { } t2 && t2 > TimeSpan.Zero) w.WriteNumber("Timeout", t2.Ticks * 100);
            if (start is { } s && s > TimeSpan.Zero) w.WriteNumber("StartPeriod", s.Ticks * 100);
            if (startInterval is { } si && si > TimeSpan.Zero) w.WriteNumber("StartInterval", si.Ticks * 100);
            if (retries is { } r && r > 0) w.WriteNumber("Retries", r);
            w.WriteEndObject();
        }
        return Parse(Encoding.UTF8.GetString(ms.ToArray()));
    }
}
