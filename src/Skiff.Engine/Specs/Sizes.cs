using System.Globalization;

namespace Skiff.Engine.Specs;

/// <summary>docker's size strings ("512m", "1g", "100000", "1.5GB") in bytes, binary units as docker's RAMInBytes.</summary>
public static class Sizes
{
    public static long Parse(string s, string what)
    {
        var t = s.Trim().ToLowerInvariant();
        int i = 0;
        while (i < t.Length && (char.IsAsciiDigit(t[i]) || t[i] == '.')) i++;
        if (i == 0 || !double.TryParse(t[..i], NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
            throw EngineException.Invalid($"invalid {what}: invalid size: '{s}'");
        var unit = t[i..].TrimEnd('b', 'i');
        long mul = unit switch
        {
            "" => 1, "k" => 1L << 10, "m" => 1L << 20, "g" => 1L << 30, "t" => 1L << 40, "p" => 1L << 50,
            _ => throw EngineException.Invalid($"invalid {what}: invalid size: '{s}'"),
        };
        return (long)(n * mul);
    }
}
