using System.Globalization;
using System.Text;

namespace Skiff.Cli.Templates;

/// <summary>Go's strconv.FormatFloat for 'e', 'f' and 'g' (shortest with precision -1), on .NET's exact digits.</summary>
public static class GoFloat
{
    /// <summary>Decimal digits (no leading zeros, no trailing zeros) and the decimal point position: value = 0.digits × 10^dp.</summary>
    static (string digits, int dp) Digits(double v, int significant)
    {
        v = Math.Abs(v);
        if (v == 0) return ("", 0);
        var s = significant < 0
            ? Shortest(v)
            : v.ToString("E" + Math.Max(0, significant - 1), CultureInfo.InvariantCulture);
        int e = s.IndexOf('E');
        var mant = s[..e].Replace(".", "");
        int exp = int.Parse(s[(e + 1)..], CultureInfo.InvariantCulture);
        mant = mant.TrimEnd('0');
        if (mant.Length == 0) return ("", 0);
        return (mant, exp + 1);
    }

    static string Shortest(double v)
    {
        var r = v.ToString("R", CultureInfo.InvariantCulture);
        if (r.Contains('E')) return r;
        // Convert plain "123.45" to E-form for uniform parsing.
        int dot = r.IndexOf('.');
        var intPart = dot < 0 ? r : r[..dot];
        var frac = dot < 0 ? "" : r[(dot + 1)..];
        var all = (intPart + frac).TrimStart('0');
        int lead = (intPart + frac).Length - all.Length;
        int exp = intPart.Length - 1 - lead;
        if (all.Length == 0) return "0E+0";
        return all[0] + (all.Length > 1 ? "." + all[1..] : "") + "E" + exp.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>strconv.FormatFloat(v, fmt, prec, 64), fmt one of e E f g G; prec -1 means shortest.</summary>
    public static string Format(double v, char fmt, int prec)
    {
        if (double.IsNaN(v)) return "NaN";
        if (double.IsPositiveInfinity(v)) return "+Inf";
        if (double.IsNegativeInfinity(v)) return "-Inf";
        bool neg = v < 0 || (v == 0 && double.IsNegative(v));
        bool shortest = prec < 0;
        string digits; int dp;
        switch (fmt)
        {
            case 'e' or 'E':
                (digits, dp) = Digits(v, shortest ? -1 : prec + 1);
                if (shortest) prec = Math.Max(digits.Length - 1, 0);
                return (neg ? "-" : "") + FormatE(digits, dp, prec, fmt);
            case 'f' or 'F':
                if (shortest)
                {
                    (digits, dp) = Digits(v, -1);
                    prec = Math.Max(digits.Length - dp, 0);
                }
                {
                    var s = Math.Abs(v).ToString("F" + prec, CultureInfo.InvariantCulture);
                    return (neg ? "-" : "") + s;
                }
            default:
                {
                    int p = prec;
                    if (p == 0) p = 1;
                    (digits, dp) = Digits(v, shortest ? -1 : p);
                    int eprec = p;
                    if (shortest) { eprec = 6; p = digits.Length; }
                    else if (eprec > digits.Length && digits.Length >= dp) eprec = digits.Length;
                    if (digits.Length == 0) { digits = "0"; dp = 1; }
                    int exp = dp - 1;
                    if (exp < -4 || exp >= eprec)
                    {
                        if (p > digits.Length) p = digits.Length;
                        return (neg ? "-" : "") + FormatE(digits, dp, p - 1, fmt == 'G' ? 'E' : 'e');
                    }
                    if (p > dp) p = digits.Length;
                    return (neg ? "-" : "") + FormatF(digits, dp, Math.Max(p - dp, 0));
                }
        }
    }

    static string FormatE(string digits, int dp, int prec, char e)
    {
        var b = new StringBuilder();
        if (digits.Length == 0) { digits = "0"; dp = 1; }
        b.Append(digits[0]);
        if (prec > 0)
        {
            b.Append('.');
            for (int i = 1; i <= prec; i++) b.Append(i < digits.Length ? digits[i] : '0');
        }
        int exp = digits == "0" ? 0 : dp - 1;
        b.Append(e).Append(exp < 0 ? '-' : '+');
        exp = Math.Abs(exp);
        if (exp < 10) b.Append('0');
        b.Append(exp.ToString(CultureInfo.InvariantCulture));
        return b.ToString();
    }

    static string FormatF(string digits, int dp, int prec)
    {
        var b = new StringBuilder();
        if (dp > 0) for (int i = 0; i < dp; i++) b.Append(i < digits.Length ? digits[i] : '0');
        else b.Append('0');
        if (prec > 0)
        {
            b.Append('.');
            for (int i = 0; i < prec; i++)
            {
                int j = dp + i;
                b.Append(j >= 0 && j < digits.Length ? digits[j] : '0');
            }
        }
        return b.ToString();
    }
}
