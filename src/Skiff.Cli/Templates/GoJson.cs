using System.Globalization;
using System.Text;

namespace Skiff.Cli.Templates;

/// <summary>
/// docker's <c>json</c> template function: Go's encoding/json, compact, with SetEscapeHTML(false) (so &lt; &gt; &amp;
/// stay as they are), U+2028/U+2029 escaped, numbers from the data written back as they were. Object members
/// keep the data's order, as docker's typed structs marshal in their declared order.
/// </summary>
public static class GoJson
{
    public static string Encode(TemplateValue v)
    {
        var b = new StringBuilder();
        Write(b, v);
        return b.ToString();
    }

    static void Write(StringBuilder b, TemplateValue v)
    {
        switch (v.Kind)
        {
            case ValueKind.Missing or ValueKind.Nil: b.Append("null"); break;
            case ValueKind.Bool: b.Append(v.Bool ? "true" : "false"); break;
            case ValueKind.Int or ValueKind.Byte:
                b.Append(v.NumberText ?? v.Int.ToString(CultureInfo.InvariantCulture));
                break;
            case ValueKind.Float:
                b.Append(v.NumberText ?? Float(v.Float));
                break;
            case ValueKind.String: WriteString(b, v.String); break;
            case ValueKind.Array:
                b.Append('[');
                for (int i = 0; i < v.Items.Count; i++)
                {
                    if (i > 0) b.Append(',');
                    Write(b, v.Items[i]);
                }
                b.Append(']');
                break;
            case ValueKind.Map:
                b.Append('{');
                for (int i = 0; i < v.Members.Count; i++)
                {
                    if (i > 0) b.Append(',');
                    WriteString(b, v.Members[i].Key);
                    b.Append(':');
                    Write(b, v.Members[i].Value);
                }
                b.Append('}');
                break;
        }
    }

    /// <summary>Go's float64 encoding: like ES6, plain digits unless the exponent is below -6 or at least 21.</summary>
    static string Float(double f)
    {
        if (double.IsNaN(f) || double.IsInfinity(f)) throw new FunctionException($"json: unsupported value: {GoFloat.Format(f, 'g', -1)}");
        double abs = Math.Abs(f);
        if (abs != 0 && (abs < 1e-6 || abs >= 1e21))
        {
            var s = GoFloat.Format(f, 'e', -1);
            // clean up e-09 to e-9
            int n = s.Length;
            if (n >= 4 && s[n - 4] == 'e' && s[n - 3] == '-' && s[n - 2] == '0') s = s[..(n - 2)] + s[(n - 1)..];
            return s;
        }
        return GoFloat.Format(f, 'f', -1);
    }

    static void WriteString(StringBuilder b, string s)
    {
        b.Append('"');
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            switch (c)
            {
                case '"': b.Append("\\\""); break;
                case '\\': b.Append("\\\\"); break;
                case '\n': b.Append("\\n"); break;
                case '\r': b.Append("\\r"); break;
                case '\t': b.Append("\\t"); break;
                case '\b': b.Append("\\b"); break;
                case '\f': b.Append("\\f"); break;
                case '\u2028': b.Append("\\u2028"); break;
                case '\u2029': b.Append("\\u2029"); break;
                default:
                    if (c < 0x20) b.Append("\\u00").Append(((int)c).ToString("x2"));
                    else if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) { b.Append(c).Append(s[i + 1]); i++; }
                    else if (char.IsSurrogate(c)) b.Append("\\ufffd");
                    else b.Append(c);
                    break;
            }
        }
        b.Append('"');
    }
}
