using System.Text;
using System.Text.Json;
using Skiff.Engine.Time;

namespace Skiff.Engine.Logs;

/// <summary>Decodes one json-file line with Utf8JsonReader (no reflection, no intermediate strings for keys).</summary>
internal static class LogLine
{
    public static bool TryDecode(ReadOnlySpan<byte> line, out LogEntry entry)
    {
        entry = null!;
        string? log = null, stream = null;
        Timestamp time = default;
        bool hasTime = false;
        try
        {
            var r = new Utf8JsonReader(line);
            if (!r.Read() || r.TokenType != JsonTokenType.StartObject) return false;
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                if (r.ValueTextEquals("log"u8)) { r.Read(); log = r.GetString(); }
                else if (r.ValueTextEquals("stream"u8)) { r.Read(); stream = r.GetString(); }
                else if (r.ValueTextEquals("time"u8)) { r.Read(); hasTime = Timestamp.TryParseRfc3339(r.GetString(), out time); }
                else { r.Read(); r.Skip(); }
            }
        }
        catch (JsonException) { return false; }
        if (log is null || !hasTime) return false;
        entry = new LogEntry(stream ?? "stdout", time, log);
        return true;
    }

    /// <summary>Encodes a record exactly as docker's json-file driver (and the shim) writes it, newline included.</summary>
    public static byte[] Encode(LogEntry e)
    {
        var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteString("log"u8, e.Text);
            w.WriteString("stream"u8, e.Stream);
            w.WriteString("time"u8, e.Time.ToRfc3339Nano());
            w.WriteEndObject();
        }
        ms.WriteByte((byte)'\n');
        return ms.ToArray();
    }

    internal static string Utf8(ReadOnlySpan<byte> b) => Encoding.UTF8.GetString(b);
}
