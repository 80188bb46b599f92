using System.Buffers;
using System.Text;

namespace Skiff.Shim;

/// <summary>
/// Writes one flat JSON object (numbers, booleans, strings, UTC instants) for the shim's own records. Not
/// Utf8JsonWriter: its default escaping builds <c>JavaScriptEncoder.Default</c> (about 15 KB of tables kept for the
/// life of the process) the first time a string is written. Strings are escaped as JSON requires (quote, backslash,
/// control characters); other characters are written as UTF-8.
/// </summary>
sealed class JsonObjectWriter
{
    readonly ArrayBufferWriter<byte> buffer = new(512);
    bool first = true;

    public JsonObjectWriter() => Raw("{"u8);

    public JsonObjectWriter Number(string name, long value)
    {
        Name(name);
        if (value < 0) Raw("-"u8);
        var span = buffer.GetSpan(20);
        // An unsigned value in the default format needs no culture data (a negative long would load it for its sign).
        (value < 0 ? (ulong)-(value + 1) + 1 : (ulong)value).TryFormat(span, out int n);
        buffer.Advance(n);
        return this;
    }

    public JsonObjectWriter Bool(string name, bool value)
    {
        Name(name);
        Raw(value ? "true"u8 : "false"u8);
        return this;
    }

    public JsonObjectWriter String(string name, string value)
    {
        Name(name);
        Quoted(value);
        return this;
    }

    /// <summary>RFC 3339 with the fraction's trailing zeros dropped, as Utf8JsonWriter wrote it for UTC values.</summary>
    public JsonObjectWriter Instant(string name, DateTime value)
    {
        Name(name);
        long ticks = value.Ticks - DateTime.UnixEpoch.Ticks;
        long seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out long rest);
        if (rest < 0) { rest += TimeSpan.TicksPerSecond; seconds--; }
        var span = buffer.GetSpan(LogTimestamp.MaxLength + 2);
        span[0] = (byte)'"';
        int n = 1 + LogTimestamp.Format(seconds, rest * 100, span[1..]);
        span[n++] = (byte)'"';
        buffer.Advance(n);
        return this;
    }

    public byte[] ToArray()
    {
        Raw("}"u8);
        return buffer.WrittenSpan.ToArray();
    }

    void Name(string name)
    {
        if (!first) Raw(","u8);
        first = false;
        Quoted(name);
        Raw(":"u8);
    }

    void Quoted(string value)
    {
        Raw("\""u8);
        int max = Encoding.UTF8.GetMaxByteCount(value.Length);
        Span<byte> utf8 = max > 1024 ? new byte[max] : stackalloc byte[1024];
        int length = Encoding.UTF8.GetBytes(value, utf8);
        foreach (byte b in utf8[..length])
        {
            if (b == (byte)'"') Raw("\\\""u8);
            else if (b == (byte)'\\') Raw("\\\\"u8);
            else if (b < 0x20) Control(b);
            else { buffer.GetSpan(1)[0] = b; buffer.Advance(1); }
        }
        Raw("\""u8);
    }

    void Control(byte b)
    {
        switch (b)
        {
            case (byte)'\n': Raw("\\n"u8); break;
            case (byte)'\r': Raw("\\r"u8); break;
            case (byte)'\t': Raw("\\t"u8); break;
            default:
                var span = buffer.GetSpan(6);
                "\\u00"u8.CopyTo(span);
                span[4] = (byte)"0123456789abcdef"[b >> 4];
                span[5] = (byte)"0123456789abcdef"[b & 0xf];
                buffer.Advance(6);
                break;
        }
    }

    void Raw(ReadOnlySpan<byte> bytes) => buffer.Write(bytes);
}
