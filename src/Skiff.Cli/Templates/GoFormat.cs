using System.Globalization;
using System.Text;

namespace Skiff.Cli.Templates;

/// <summary>
/// Go's fmt for template values: Sprint (print), Sprintln (println), Sprintf (printf) with flags, width,
/// precision and the verbs v s d q t x X o b c e f g U, and Go's error forms (%!d(string=x), %!v(MISSING),
/// %!(EXTRA ...)). Maps print as map[k:v] with sorted keys, arrays as [a b], nil as &lt;nil&gt;.
/// </summary>
public static class GoFormat
{
    sealed class Spec
    {
        public bool Plus, Minus, Sharp, Space, Zero;
        public bool HasWidth, HasPrec;
        public int Width, Prec;
    }

    static readonly Spec Plain = new();

    public static string Sprint(TemplateValue v)
    {
        var b = new StringBuilder();
        PrintArg(b, v, 'v', Plain);
        return b.ToString();
    }

    /// <summary>fmt.Sprint: a space between operands when neither side is a string.</summary>
    public static string Sprint(IReadOnlyList<TemplateValue> args)
    {
        var b = new StringBuilder();
        bool prevString = false;
        for (int i = 0; i < args.Count; i++)
        {
            bool isString = args[i].Kind == ValueKind.String;
            if (i > 0 && !isString && !prevString) b.Append(' ');
            PrintArg(b, args[i], 'v', Plain);
            prevString = isString;
        }
        return b.ToString();
    }

    public static string Sprintln(IReadOnlyList<TemplateValue> args)
    {
        var b = new StringBuilder();
        for (int i = 0; i < args.Count; i++)
        {
            if (i > 0) b.Append(' ');
            PrintArg(b, args[i], 'v', Plain);
        }
        return b.Append('\n').ToString();
    }

    public static string Sprintf(string format, IReadOnlyList<TemplateValue> args)
    {
        var b = new StringBuilder();
        int argNum = 0;
        int i = 0;
        while (i < format.Length)
        {
            int pct = format.IndexOf('%', i);
            if (pct < 0) { b.Append(format, i, format.Length - i); break; }
            b.Append(format, i, pct - i);
            i = pct + 1;
            var spec = new Spec();
            for (; i < format.Length; i++)
            {
                char c = format[i];
                if (c == '#') spec.Sharp = true;
                else if (c == '0') spec.Zero = !spec.Minus;
                else if (c == '+') spec.Plus = true;
                else if (c == '-') { spec.Minus = true; spec.Zero = false; }
                else if (c == ' ') spec.Space = true;
                else break;
            }
            if (i < format.Length && format[i] == '*')
            {
                i++;
                if (argNum < args.Count && args[argNum].Kind == ValueKind.Int)
                {
                    spec.Width = (int)args[argNum].Int; spec.HasWidth = true;
                    if (spec.Width < 0) { spec.Minus = true; spec.Zero = false; spec.Width = -spec.Width; }
                }
                else b.Append("%!(BADWIDTH)");
                argNum++;
            }
            else
            {
                int start = i;
                while (i < format.Length && char.IsAsciiDigit(format[i])) i++;
                if (i > start) { spec.Width = int.Parse(format.AsSpan(start, i - start), CultureInfo.InvariantCulture); spec.HasWidth = true; }
            }
            if (i < format.Length && format[i] == '.')
            {
                i++;
                spec.HasPrec = true;
                if (i < format.Length && format[i] == '*')
                {
                    i++;
                    if (argNum < args.Count && args[argNum].Kind == ValueKind.Int && args[argNum].Int >= 0) spec.Prec = (int)args[argNum].Int;
                    else { b.Append("%!(BADPREC)"); spec.HasPrec = false; }
                    argNum++;
                }
                else
                {
                    int start = i;
                    while (i < format.Length && char.IsAsciiDigit(format[i])) i++;
                    spec.Prec = i > start ? int.Parse(format.AsSpan(start, i - start), CultureInfo.InvariantCulture) : 0;
                }
            }
            if (i >= format.Length) { b.Append("%!(NOVERB)"); break; }
            var rune = Rune.GetRuneAt(format, i);
            i += rune.Utf16SequenceLength;
            int verb = rune.Value;
            if (verb == '%') { b.Append('%'); continue; }
            if (argNum >= args.Count) { b.Append("%!").Append(rune.ToString()).Append("(MISSING)"); continue; }
            if (verb == 'w') verb = 'v';
            PrintArg(b, args[argNum++], verb, spec);
        }
        if (argNum < args.Count)
        {
            b.Append("%!(EXTRA ");
            for (int k = argNum; k < args.Count; k++)
            {
                if (k > argNum) b.Append(", ");
                var a = args[k];
                if (a.IsNilOrMissing) b.Append("<nil>");
                else { b.Append(a.GoType).Append('='); PrintArg(b, a, 'v', Plain); }
            }
            b.Append(')');
        }
        return b.ToString();
    }

    static void BadVerb(StringBuilder b, TemplateValue v, int verb)
    {
        b.Append("%!").Append(char.ConvertFromUtf32(verb)).Append('(');
        if (v.IsNilOrMissing) b.Append("<nil>");
        else { b.Append(v.GoType).Append('='); PrintArg(b, v, 'v', Plain); }
        b.Append(')');
    }

    static void PrintArg(StringBuilder b, TemplateValue v, int verb, Spec spec)
    {
        if (verb == 'T') { Pad(b, v.IsNilOrMissing ? "<nil>" : v.GoType, spec); return; }
        switch (v.Kind)
        {
            case ValueKind.Missing:
            case ValueKind.Nil:
                if (verb == 'v') Pad(b, "<nil>", spec); else BadVerb(b, v, verb);
                return;
            case ValueKind.Bool:
                if (verb is 't' or 'v') Pad(b, v.Bool ? "true" : "false", spec); else BadVerb(b, v, verb);
                return;
            case ValueKind.Int:
            case ValueKind.Byte:
                FormatInteger(b, v, verb, spec);
                return;
            case ValueKind.Float:
                FormatFloat(b, v, verb, spec);
                return;
            case ValueKind.String:
                FormatString(b, v, verb, spec);
                return;
            case ValueKind.Array:
                b.Append('[');
                for (int i = 0; i < v.Items.Count; i++)
                {
                    if (i > 0) b.Append(' ');
                    PrintArg(b, v.Items[i], verb, spec);
                }
                b.Append(']');
                return;
            case ValueKind.Map:
                b.Append("map[");
                bool first = true;
                foreach (var k in v.SortedKeys)
                {
                    if (!first) b.Append(' ');
                    first = false;
                    PrintArg(b, TemplateValue.Of(k), verb, spec);
                    b.Append(':');
                    v.TryGet(k, out var item);
                    PrintArg(b, item, verb, spec);
                }
                b.Append(']');
                return;
        }
    }

    static int RuneCount(string s) => s.EnumerateRunes().Count();

    static void Pad(StringBuilder b, string s, Spec spec, bool allowZero = true)
    {
        if (!spec.HasWidth) { b.Append(s); return; }
        int pad = spec.Width - RuneCount(s);
        if (pad <= 0) { b.Append(s); return; }
        if (spec.Minus) { b.Append(s).Append(' ', pad); return; }
        b.Append(spec.Zero && allowZero ? '0' : ' ', pad).Append(s);
    }

    static void FormatString(StringBuilder b, TemplateValue v, int verb, Spec spec)
    {
        var s = v.String;
        switch (verb)
        {
            case 'v':
            case 's':
                if (spec.HasPrec) s = Truncate(s, spec.Prec);
                Pad(b, s, spec);
                return;
            case 'q':
                if (spec.HasPrec) s = Truncate(s, spec.Prec);
                if (spec.Sharp && !s.Contains('`') && s.All(c => c == '\t' || !char.IsControl(c) && c != '\uFEFF'))
                    Pad(b, "`" + s + "`", spec);
                else
                    Pad(b, GoQuote.Quote(s, asciiOnly: spec.Plus), spec);
                return;
            case 'x':
            case 'X':
                {
                    var bytes = Encoding.UTF8.GetBytes(s);
                    if (spec.HasPrec && spec.Prec < bytes.Length) bytes = bytes[..spec.Prec];
                    var hex = new StringBuilder();
                    string digits = verb == 'x' ? "0123456789abcdef" : "0123456789ABCDEF";
                    for (int i = 0; i < bytes.Length; i++)
                    {
                        if (spec.Space && i > 0) hex.Append(' ');
                        if (spec.Sharp && (spec.Space || i == 0)) hex.Append(verb == 'x' ? "0x" : "0X");
                        hex.Append(digits[bytes[i] >> 4]).Append(digits[bytes[i] & 15]);
                    }
                    Pad(b, hex.ToString(), spec);
                    return;
                }
            default:
                BadVerb(b, v, verb);
                return;
        }
    }

    static string Truncate(string s, int runes)
    {
        int n = 0, i = 0;
        foreach (var r in s.EnumerateRunes())
        {
            if (n == runes) return s[..i];
            n++;
            i += r.Utf16SequenceLength;
        }
        return s;
    }

    static void FormatInteger(StringBuilder b, TemplateValue v, int verb, Spec spec)
    {
        long n = v.Int;
        switch (verb)
        {
            case 'v' or 'd': Integer(b, n, 10, verb, spec, "0123456789"); return;
            case 'b': Integer(b, n, 2, verb, spec, "01"); return;
            case 'o' or 'O': Integer(b, n, 8, verb, spec, "01234567"); return;
            case 'x': Integer(b, n, 16, verb, spec, "0123456789abcdef"); return;
            case 'X': Integer(b, n, 16, verb, spec, "0123456789ABCDEF"); return;
            case 'c':
                Pad(b, n is >= 0 and <= 0x10FFFF and not (>= 0xD800 and <= 0xDFFF) ? char.ConvertFromUtf32((int)n) : "\uFFFD", spec);
                return;
            case 'q':
                {
                    int r = n is >= 0 and <= 0x10FFFF and not (>= 0xD800 and <= 0xDFFF) ? (int)n : 0xFFFD;
                    var sb = new StringBuilder("'");
                    if (r == '\'') sb.Append("\\'");
                    else if (r == '"') sb.Append('"');
                    else GoQuote.AppendEscaped(sb, char.ConvertFromUtf32(r), '\'', spec.Plus);
                    Pad(b, sb.Append('\'').ToString(), spec);
                    return;
                }
            case 'U':
                {
                    var s = "U+" + n.ToString("X4", CultureInfo.InvariantCulture);
                    if (spec.Sharp && n is >= 0 and <= 0x10FFFF && GoQuote.IsPrint((int)n)) s += " '" + char.ConvertFromUtf32((int)n) + "'";
                    Pad(b, s, spec);
                    return;
                }
            case 'e' or 'E' or 'f' or 'F' or 'g' or 'G' or 's' or 'q' or 't':
            default:
                BadVerb(b, v, verb);
                return;
        }
    }

    static void Integer(StringBuilder b, long n, int radix, int verb, Spec spec, string digits)
    {
        bool neg = n < 0;
        ulong u = neg ? (ulong)(-(n + 1)) + 1 : (ulong)n;
        var s = new StringBuilder();
        if (u == 0) s.Append('0');
        while (u > 0) { s.Insert(0, digits[(int)(u % (ulong)radix)]); u /= (ulong)radix; }
        int prec = 0;
        if (spec.HasPrec)
        {
            prec = spec.Prec;
            if (prec == 0 && n == 0) { Pad(b, "", spec, allowZero: false); return; }
        }
        else if (spec.Zero && spec.HasWidth && !spec.Minus)
        {
            prec = spec.Width;
            if (neg || spec.Plus || spec.Space) prec--;
        }
        while (s.Length < prec) s.Insert(0, '0');
        if (spec.Sharp)
        {
            if (radix == 2) s.Insert(0, "0b");
            else if (radix == 8 && s[0] != '0') s.Insert(0, '0');
            else if (radix == 16) s.Insert(0, verb == 'X' ? "0X" : "0x");
        }
        if (verb == 'O') s.Insert(0, "0o");
        if (neg) s.Insert(0, '-');
        else if (spec.Plus) s.Insert(0, '+');
        else if (spec.Space) s.Insert(0, ' ');
        Pad(b, s.ToString(), spec, allowZero: false);
    }

    static void FormatFloat(StringBuilder b, TemplateValue v, int verb, Spec spec)
    {
        double f = v.Float;
        char fmt;
        int prec;
        switch (verb)
        {
            case 'v': fmt = 'g'; prec = -1; break;
            case 'g' or 'G': fmt = (char)verb; prec = -1; break;
            case 'e' or 'E' or 'f': fmt = (char)verb; prec = 6; break;
            case 'F': fmt = 'f'; prec = 6; break;
            default: BadVerb(b, v, verb); return;
        }
        if (spec.HasPrec) prec = spec.Prec;
        var num = GoFloat.Format(f, fmt, prec);
        if (spec.Sharp && !num.Contains('.') && !num.Contains("Inf") && num != "NaN")
        {
            int e = num.IndexOfAny(['e', 'E']);
            num = e < 0 ? num + "." : num[..e] + "." + num[e..];
        }
        string sign = num.StartsWith('-') || num.StartsWith('+') ? num[..1] : "+";
        string body = num.StartsWith('-') || num.StartsWith('+') ? num[1..] : num;
        if (spec.Space && sign == "+" && !spec.Plus) sign = " ";
        if (body is "Inf" or "NaN")
        {
            var text = body == "NaN" && !spec.Space && !spec.Plus ? body : sign + body;
            Pad(b, text, spec, allowZero: false);
            return;
        }
        if (spec.Plus || sign != "+")
        {
            if (spec.Zero && spec.HasWidth && !spec.Minus && spec.Width > body.Length + 1)
            {
                b.Append(sign).Append('0', spec.Width - body.Length - 1).Append(body);
                return;
            }
            Pad(b, sign + body, spec);
            return;
        }
        Pad(b, body, spec);
    }
}
