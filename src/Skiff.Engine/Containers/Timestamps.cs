using System.Globalization;

namespace Skiff.Engine.Containers;

/// <summary>docker's time strings: RFC 3339 with nanoseconds in UTC; the zero time for "never".</summary>
public static class Timestamps
{
    public const string Zero = "0001-01-01T00:00:00Z";

    public static string Format(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
    public static string Now() => Format(DateTimeOffset.UtcNow);

    public static DateTimeOffset? Parse(string? s)
    {
        if (string.IsNullOrEmpty(s) || s == Zero) return null;
        // .NET parses at most 7 fractional digits; docker writes 9.
        var dot = s.IndexOf('.');
        if (dot > 0)
        {
            int end = dot + 1;
            while (end < s.Length && char.IsAsciiDigit(s[end])) end++;
            if (end - dot - 1 > 7) s = s[..(dot + 8)] + s[end..];
        }
        return DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
    }
}
