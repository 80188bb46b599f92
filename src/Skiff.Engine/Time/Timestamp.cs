using System.Globalization;

namespace Skiff.Engine.Time;

/// <summary>A point in time with nanosecond precision (what docker's logs and events carry; .NET's DateTime stops at
/// 100 ns). Parses and formats RFC3339Nano as Go does.</summary>
public readonly record struct Timestamp(long UnixSeconds, int Nanos) : IComparable<Timestamp>
{
    public static readonly Timestamp MinValue = new(long.MinValue, 0);
    public static readonly Timestamp MaxValue = new(long.MaxValue, 999_999_999);

    public long UnixNanos => UnixSeconds * 1_000_000_000L + Nanos;

    public static Timestamp Now => FromDateTime(DateTimeOffset.UtcNow);

    public static Timestamp FromUnixNanos(long ns) => new(Math.DivRem(ns, 1_000_000_000L, out long r) - (r < 0 ? 1 : 0), (int)(r < 0 ? r + 1_000_000_000L : r));

    public static Timestamp FromDateTime(DateTimeOffset t)
    {
        long ticks = t.UtcTicks - DateTime.UnixEpoch.Ticks;
        return FromUnixNanos(ticks * 100);
    }

    public DateTimeOffset ToDateTime() => DateTimeOffset.FromUnixTimeSeconds(UnixSeconds).AddTicks(Nanos / 100);

    public int CompareTo(Timestamp other) => UnixSeconds != other.UnixSeconds ? UnixSeconds.CompareTo(other.UnixSeconds) : Nanos.CompareTo(other.Nanos);
    public static bool operator <(Timestamp a, Timestamp b) => a.CompareTo(b) < 0;
    public static bool operator >(Timestamp a, Timestamp b) => a.CompareTo(b) > 0;
    public static bool operator <=(Timestamp a, Timestamp b) => a.CompareTo(b) <= 0;
    public static bool operator >=(Timestamp a, Timestamp b) => a.CompareTo(b) >= 0;

    /// <summary>Go's RFC3339Nano in UTC: trailing zeros of the fraction trimmed ("2024-05-01T10:00:00.5Z").</summary>
    public string ToRfc3339Nano()
    {
        var head = DateTimeOffset.FromUnixTimeSeconds(UnixSeconds).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);
        if (Nanos == 0) return head + "Z";
        return head + "." + Nanos.ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0') + "Z";
    }

    /// <summary>docker's fixed-width form for <c>logs -t</c>: always nine fraction digits.</summary>
    public string ToRfc3339NanoFixed()
        => DateTimeOffset.FromUnixTimeSeconds(UnixSeconds).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture)
           + "." + Nanos.ToString("D9", CultureInfo.InvariantCulture) + "Z";

    /// <summary>Parses RFC3339 with up to nine fraction digits and a Z or ±hh:mm offset.</summary>
    public static bool TryParseRfc3339(ReadOnlySpan<char> s, out Timestamp t)
    {
        t = default;
        if (s.Length < 20 || s[10] is not ('T' or 't' or ' ')) return false;
        if (!DateTime.TryParseExact(s[..19], "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var basis)
            && !DateTime.TryParseExact(s[..19], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out basis))
            return false;
        int i = 19, nanos = 0;
        if (i < s.Length && s[i] == '.')
        {
            i++;
            int digits = 0;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                if (digits < 9) { nanos = nanos * 10 + (s[i] - '0'); digits++; }
                i++;
            }
            if (digits == 0) return false;
            for (; digits < 9; digits++) nanos *= 10;
        }
        if (i >= s.Length) return false;
        long offsetSec;
        if (s[i] is 'Z' or 'z' && i == s.Length - 1) offsetSec = 0;
        else if (s[i] is '+' or '-' && s.Length - i == 6 && s[i + 3] == ':'
                 && int.TryParse(s.Slice(i + 1, 2), NumberStyles.None, CultureInfo.InvariantCulture, out int hh)
                 && int.TryParse(s.Slice(i + 4, 2), NumberStyles.None, CultureInfo.InvariantCulture, out int mm))
            offsetSec = (s[i] == '-' ? -1 : 1) * (hh * 3600L + mm * 60L);
        else return false;
        long secs = (long)(basis - DateTime.UnixEpoch).TotalSeconds - offsetSec;
        t = new Timestamp(secs, nanos);
        return true;
    }
}
