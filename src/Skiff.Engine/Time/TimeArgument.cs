using System.Globalization;

namespace Skiff.Engine.Time;

/// <summary>The values docker accepts for <c>--since</c>/<c>--until</c> (logs, events, prune filters): an RFC3339 date
/// or date-time (with or without fraction and zone; no zone = local time), a Unix timestamp with optional fraction
/// ("1700000000.5"), or a Go duration ("10m", "1h30m", "1.5h", "300ms") meaning that long before now.</summary>
public static class TimeArgument
{
    public static Timestamp Parse(string value, string flag, DateTimeOffset? now = null)
    {
        var n = now ?? DateTimeOffset.UtcNow;
        if (TryParse(value, n, out var t)) return t;
        throw new ArgumentException($"invalid value for {flag}: \"{value}\" is neither a timestamp (RFC3339 or Unix seconds) nor a duration like 10m");
    }

    public static bool TryParse(string value, DateTimeOffset now, out Timestamp t)
    {
        t = default;
        value = value.Trim();
        if (value.Length == 0) return false;
        // "0" is the Unix epoch, not a zero duration (docker's GetTimestamp makes the same exception).
        if (value != "0" && TryParseDuration(value, out var d))
        {
            t = Timestamp.FromUnixNanos(Timestamp.FromDateTime(now).UnixNanos - d);
            return true;
        }
        if (TryParseUnix(value, out t)) return true;
        if (Timestamp.TryParseRfc3339(value, out t)) return true;
        string[] local = ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH", "yyyy-MM-dd"];
        if (DateTime.TryParseExact(value, local, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var dt))
        {
            t = Timestamp.FromDateTime(new DateTimeOffset(dt));
            return true;
        }
        string[] zoned = ["yyyy-MM-dd'T'HH:mmzzz", "yyyy-MM-ddzzz"];
        if (DateTimeOffset.TryParseExact(value, zoned, CultureInfo.InvariantCulture, DateTimeStyles.None, out var dto))
        {
            t = Timestamp.FromDateTime(dto);
            return true;
        }
        return false;
    }

    static bool TryParseUnix(string v, out Timestamp t)
    {
        t = default;
        var parts = v.Split('.');
        if (parts.Length > 2 || !long.TryParse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long sec)) return false;
        int nanos = 0;
        if (parts.Length == 2)
        {
            var f = parts[1];
            if (f.Length == 0 || f.Length > 9 || !f.All(char.IsAsciiDigit)) return false;
            nanos = int.Parse(f.PadRight(9, '0'), CultureInfo.InvariantCulture);
        }
        t = new Timestamp(sec, nanos);
        return true;
    }

    /// <summary>Go's time.ParseDuration: a sequence of decimal numbers with units ns, us/µs, ms, s, m, h.</summary>
    public static bool TryParseDuration(string s, out long nanos)
    {
        nanos = 0;
        int i = 0;
        bool neg = false;
        if (i < s.Length && s[i] is '+' or '-') { neg = s[i] == '-'; i++; }
        if (i >= s.Length) return false;
        if (s[i..] == "0") return true;
        decimal total = 0;
        while (i < s.Length)
        {
            int start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.')) i++;
            if (i == start || !decimal.TryParse(s[start..i], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var num)) return false;
            int us = i;
            while (i < s.Length && !char.IsAsciiDigit(s[i]) && s[i] != '.') i++;
            decimal unit = s[us..i] switch
            {
                "ns" => 1m, "us" or "µs" or "μs" => 1_000m, "ms" => 1_000_000m, "s" => 1_000_000_000m,
                "m" => 60_000_000_000m, "h" => 3_600_000_000_000m, _ => -1m,
            };
            if (unit < 0) return false;
            total += num * unit;
        }
        nanos = (long)(neg ? -total : total);
        return true;
    }
}
