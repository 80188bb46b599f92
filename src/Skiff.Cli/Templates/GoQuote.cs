using System.Globalization;
using System.Text;

namespace Skiff.Cli.Templates;

/// <summary>Go's strconv quoting: Quote, Unquote and the %#U rune form, as template messages and %q use them.</summary>
public static class GoQuote
{
    /// <summary>Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.</summary>
    public static bool IsPrint(int rune)
    {
        if (rune == ' ') return true;
        if (rune < 0x20 || rune == 0x7f) return false;
        var cat = CharUnicodeInfo.GetUnicodeCategory(rune);
        return cat switch
        {
            UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
                or UnicodeCategory.OtherNotAssigned or UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator
                or UnicodeCategory.ParagraphSeparator => false,
            _ => true,
        };
    }

    public static string Quote(string s, bool asciiOnly = false)
    {
        var b = new StringBuilder(s.Length + 2);
        b.Append('"');
        AppendEscaped(b, s, '"', asciiOnly);
        b.Append('"');
        return b.ToString();
    }

    internal static void AppendEscaped(StringBuilder b, string s, char quote, bool asciiOnly)
    {
        foreach (var r in s.EnumerateRunes())
        {
            int c = r.Value;
            if (c == quote || c == '\\') { b.Append('\\').Append((char)c); continue; }
            if (asciiOnly ? c < 0x7f && IsPrint(c) : IsPrint(c)) { b.Append(r.ToString()); continue; }
            switch (c)
            {
                case '\a': b.Append("\\a"); break;
                case '\b': b.Append("\\b"); break;
                case '\f': b.Append("\\f"); break;
                case '\n': b.Append("\\n"); break;
                case '\r': b.Append("\\r"); break;
                case '\t': b.Append("\\t"); break;
                case '\v': b.Append("\\v"); break;
                default:
                    if (c < ' ' || c == 0x7f) b.Append("\\x").Append(c.ToString("x2"));
                    else if (c == 0xFFFD && !asciiOnly) b.Append('\uFFFD');
                    else if (c < 0x10000) b.Append("\\u").Append(c.ToString("x4"));
                    else b.Append("\\U").Append(c.ToString("x8"));
                    break;
            }
        }
    }

    /// <summary>Go's %#U: <c>U+0023 '#'</c>.</summary>
    public static string Rune(int c) =>
        IsPrint(c) ? $"U+{c:X4} '{char.ConvertFromUtf32(c)}'" : $"U+{c:X4}";

    /// <summary>Go's strconv.Unquote for "…", `…` and '…' (a char constant gives the rune as a string).</summary>
    public static bool TryUnquote(string quoted, out string value)
    {
        value = "";
        if (quoted.Length < 2) return false;
        char q = quoted[0];
        if (quoted[^1] != q) return false;
        var body = quoted[1..^1];
        if (q == '`')
        {
            if (body.Contains('`')) return false;
            value = body.Replace("\r", "");
            return true;
        }
        if (q != '"' && q != '\'') return false;
        var b = new StringBuilder(body.Length);
        for (int i = 0; i < body.Length; i++)
        {
            char c = body[i];
            if (c == q || c == '\n') return false;
            if (c != '\\') { b.Append(c); continue; }
            if (++i >= body.Length) return false;
            c = body[i];
            switch (c)
            {
                case 'a': b.Append('\a'); break;
                case 'b': b.Append('\b'); break;
                case 'f': b.Append('\f'); break;
                case 'n': b.Append('\n'); break;
                case 'r': b.Append('\r'); break;
                case 't': b.Append('\t'); break;
                case 'v': b.Append('\v'); break;
                case '\\': b.Append('\\'); break;
                case '\'' when q == '\'': b.Append('\''); break;
                case '"' when q == '"': b.Append('"'); break;
                case 'x':
                case 'u':
                case 'U':
                    {
                        int n = c == 'x' ? 2 : c == 'u' ? 4 : 8;
                        if (i + n > body.Length - 1) return false;
                        if (!int.TryParse(body.AsSpan(i + 1, n), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var v)) return false;
                        i += n;
                        if (c == 'x') b.Append((char)v); // a byte; Go would keep it raw
                        else
                        {
                            if (v > 0x10FFFF || v is >= 0xD800 and <= 0xDFFF) return false;
                            b.Append(char.ConvertFromUtf32(v));
                        }
                        break;
                    }
                case >= '0' and <= '7':
                    {
                        if (i + 2 >= body.Length) return false;
                        int v = 0;
                        for (int k = 0; k < 3; k++)
                        {
                            char d = body[i + k];
                            if (d is < '0' or > '7') return false;
                            v = v * 8 + (d - '0');
                        }
                        if (v > 255) return false;
                        i += 2;
                        b.Append((char)v);
                        break;
                    }
                default: return false;
            }
        }
        value = b.ToString();
        if (q == '\'') return value.EnumerateRunes().Count() == 1;
        return true;
    }
}
