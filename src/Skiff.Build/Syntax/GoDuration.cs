using System.Globalization;

namespace Skiff.Build.Syntax;

/// <summary>Go's time.ParseDuration syntax (HEALTHCHECK flags): a signed sequence of decimal numbers with units
/// ns, us (µs), ms, s, m, h, e.g. <c>300ms</c>, <c>1.5h</c>, <c>2h45m</c>; <c>0</c> alone is allowed.</summary>
public static class GoDuration
{
    public static bool TryParse(string s, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrEmpty(s)) return false;
        int i = 0;
        bool neg = false;
        if (s[0] is '-' or '+') { neg = s[0] == '-'; i++; }
        if (s[i..] == "0") return true;
        if (i >= s.Length) return false;
        double totalNs = 0;
        while (i < s.Length)
        {
            int start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.')) i++;
            if (start == i) return false;
            if (!double.TryParse(s[start..i], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double n)) return false;
            int us = i;
            while (i < s.Length && !char.IsAsciiDigit(s[i]) && s[i] != '.') i++;
            double unit = s[us..i] switch
            {
                "ns" => 1,
                "us" or "µs" or "μs" => 1e3,
                "ms" => 1e6,
                "s" => 1e9,
                "m" => 60e9,
                "h" => 3600e9,
                _ => -1,
            };
            if (unit < 0) return false;
            totalNs += n * unit;
        }
        value = TimeSpan.FromTicks((long)(totalNs / 100) * (neg ? -1 : 1));
        return true;
    }
}
