using System.Globalization;

namespace Skiff.Cli.Templates;

/// <summary>Go's template number constants: ints in any base (0x, 0o, 0b, leading-0 octal, '_' separators),
/// floats, and char constants ('a' is 97).</summary>
public static class GoNumber
{
    public static NumberNode? Parse(Token t, out string? error)
    {
        error = null;
        var text = t.Value;
        if (t.Kind == TokenKind.CharConstant)
        {
            if (!GoQuote.TryUnquote(text, out var s)) { error = "malformed character constant: " + text; return null; }
            int r = char.ConvertToUtf32(s, 0);
            return new NumberNode(t.Pos, text, TemplateValue.Of((long)r), true, r);
        }
        if (text.EndsWith('i')) { error = $"complex numbers are not supported: {GoQuote.Quote(text)}"; return null; }
        if (TryParseInt(text, out var l))
        {
            return new NumberNode(t.Pos, text, TemplateValue.Of(l), true, l);
        }
        if (text.Contains('_') && (text.Contains("__") || text.EndsWith('_') || text.IndexOfAny(['.', 'e', 'E', 'p', 'P']) < 0))
        {
            error = $"illegal number syntax: {GoQuote.Quote(text)}";
            return null;
        }
        var clean = text.Replace("_", "");
        bool hex = clean.TrimStart('+', '-').StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        if (!hex && double.TryParse(clean, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && !double.IsInfinity(f))
        {
            if (text.IndexOfAny(['.', 'e', 'E', 'p', 'P']) < 0) { error = $"integer overflow: {GoQuote.Quote(text)}"; return null; }
            bool isInt = Math.Floor(f) == f && f >= long.MinValue && f <= long.MaxValue;
            return new NumberNode(t.Pos, text, TemplateValue.Of(f), isInt, isInt ? (long)f : 0);
        }
        error = $"illegal number syntax: {GoQuote.Quote(text)}";
        return null;
    }

    static bool TryParseInt(string text, out long value)
    {
        value = 0;
        var s = text;
        bool neg = false;
        if (s.StartsWith('+') || s.StartsWith('-')) { neg = s[0] == '-'; s = s[1..]; }
        if (s.Length == 0) return false;
        int radix = 10;
        bool prefixed = false;
        if (s.Length > 1 && s[0] == '0')
        {
            char p = char.ToLowerInvariant(s[1]);
            if (p == 'x') { radix = 16; s = s[2..]; prefixed = true; }
            else if (p == 'o') { radix = 8; s = s[2..]; prefixed = true; }
            else if (p == 'b') { radix = 2; s = s[2..]; prefixed = true; }
            else { radix = 8; s = s[1..]; prefixed = true; }
        }
        if (s.Contains('_'))
        {
            // Go allows '_' only between digits or after a base prefix.
            if (!prefixed && s.StartsWith('_') || s.EndsWith('_') || s.Contains("__")) return false;
            s = s.Replace("_", "");
        }
        if (s.Length == 0) return false;
        System.Numerics.BigInteger v = 0;
        foreach (var c in s)
        {
            int d = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'z' => c - 'a' + 10,
                >= 'A' and <= 'Z' => c - 'A' + 10,
                _ => 99,
            };
            if (d >= radix) return false;
            v = v * radix + d;
        }
        if (neg) v = -v;
        if (v < long.MinValue || v > long.MaxValue) return false;
        value = (long)v;
        return true;
    }
}
