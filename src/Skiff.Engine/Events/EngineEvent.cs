using System.Text.Json;
using Skiff.Engine.Time;

namespace Skiff.Engine.Events;

/// <summary>One event as docker's API reports it: <c>Type</c> (container, image, volume, network, …), <c>Action</c>
/// (create, start, die, …), <c>Actor</c> {<c>ID</c>, <c>Attributes</c>}, <c>scope</c>, <c>time</c>, <c>timeNano</c>;
/// container events also carry the old-style <c>status</c>, <c>id</c> and <c>from</c> fields.</summary>
public sealed record EngineEvent(string Type, string Action, string ActorId, IReadOnlyDictionary<string, string> Attributes, Timestamp Time)
{
    public string Scope { get; init; } = "local";

    /// <summary>docker's event JSON on one line (the events.jsonl record and <c>--format '{{json .}}'</c>).</summary>
    public byte[] ToJson()
    {
        var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            if (Type == "container")
            {
                w.WriteString("status", Action);
                w.WriteString("id", ActorId);
                if (Attributes.TryGetValue("image", out var img)) w.WriteString("from", img);
            }
            w.WriteString("Type", Type);
            w.WriteString("Action", Action);
            w.WriteStartObject("Actor");
            w.WriteString("ID", ActorId);
            w.WriteStartObject("Attributes");
            foreach (var kv in Attributes.OrderBy(k => k.Key, StringComparer.Ordinal)) w.WriteString(kv.Key, kv.Value);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteString("scope", Scope);
            w.WriteNumber("time", Time.UnixSeconds);
            w.WriteNumber("timeNano", Time.UnixNanos);
            w.WriteEndObject();
        }
        return ms.ToArray();
    }

    public static bool TryParse(ReadOnlySpan<byte> line, out EngineEvent ev)
    {
        ev = null!;
        try
        {
            using var doc = JsonDocument.Parse(line.ToArray());
            var r = doc.RootElement;
            if (!r.TryGetProperty("Type", out var type) || !r.TryGetProperty("Action", out var action) || !r.TryGetProperty("Actor", out var actor))
                return false;
            var attrs = new Dictionary<string, string>(StringComparer.Ordinal);
            if (actor.TryGetProperty("Attributes", out var a) && a.ValueKind == JsonValueKind.Object)
                foreach (var p in a.EnumerateObject()) attrs[p.Name] = p.Value.GetString() ?? "";
            long nanos = r.TryGetProperty("timeNano", out var tn) ? tn.GetInt64()
                : r.TryGetProperty("time", out var ts) ? ts.GetInt64() * 1_000_000_000L : 0;
            ev = new EngineEvent(type.GetString() ?? "", action.GetString() ?? "",
                actor.TryGetProperty("ID", out var id) ? id.GetString() ?? "" : "", attrs, Timestamp.FromUnixNanos(nanos))
            {
                Scope = r.TryGetProperty("scope", out var s) ? s.GetString() ?? "local" : "local",
            };
            return true;
        }
        catch (JsonException) { return false; }
        catch (InvalidOperationException) { return false; }
        catch (FormatException) { return false; }
    }

    /// <summary>docker's default text line: <c>TIME TYPE ACTION ID (k=v, …)</c>, time in local zone, nine fraction digits.</summary>
    public string ToText()
    {
        var local = Time.ToDateTime().ToLocalTime();
        var when = local.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)
                   + "." + Time.Nanos.ToString("D9", System.Globalization.CultureInfo.InvariantCulture)
                   + (local.Offset == TimeSpan.Zero ? "Z" : local.ToString("zzz", System.Globalization.CultureInfo.InvariantCulture));
        var attrs = Attributes.Count == 0 ? "" :
            " (" + string.Join(", ", Attributes.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key}={k.Value}")) + ")";
        return $"{when} {Type} {Action} {ActorId}{attrs}";
    }
}
