namespace Skiff.Build.Context;

/// <summary>Go's filepath.Match for one path component, which is what docker uses for COPY/ADD sources:
/// <c>*</c> (any run of characters), <c>?</c> (one), <c>[a-z]</c>/<c>[^a-z]</c> classes and <c>\</c> escapes.</summary>
public static class Glob
{
    public static bool HasMeta(string s) => s.IndexOfAny(['*', '?', '[', '\\']) >= 0;

    public static bool Match(string pattern, string name) => Match(pattern.AsSpan(), name.AsSpan());

    static bool Match(ReadOnlySpan<char> p, ReadOnlySpan<char> s)
    {
        while (p.Length > 0)
        {
            char c = p[0];
            if (c == '*')
            {
                p = p[1..];
                if (p.Length == 0) return true;
                for (int i = 0; i <= s.Length; i++)
                    if (Match(p, s[i..])) return true;
                return false;
            }
            if (s.Length == 0) return false;
            if (c == '?') { p = p[1..]; s = s[1..]; continue; }
            if (c == '[')
            {
                int end = ClassEnd(p);
                if (end < 0) throw new BuildException($"syntax error in pattern \"{p.ToString()}\"");
                if (!ClassMatch(p[1..end], s[0])) return false;
                p = p[(end + 1)..]; s = s[1..];
                continue;
            }
            if (c == '\\')
            {
                if (p.Length < 2) throw new BuildException("syntax error in pattern: trailing backslash");
                c = p[1];
                p = p[1..];
            }
            if (s[0] != c) return false;
            p = p[1..]; s = s[1..];
        }
        return s.Length == 0;
    }

    static int ClassEnd(ReadOnlySpan<char> p)
    {
        int i = 1;
        if (i < p.Length && (p[i] == '^' || p[i] == '!')) i++;
        if (i < p.Length && p[i] == ']') i++;
        for (; i < p.Length; i++)
        {
            if (p[i] == '\\') { i++; continue; }
            if (p[i] == ']') return i;
        }
        return -1;
    }

    static bool ClassMatch(ReadOnlySpan<char> cls, char ch)
    {
        bool negate = cls.Length > 0 && (cls[0] == '^' || cls[0] == '!');
        if (negate) cls = cls[1..];
        bool matched = false;
        for (int i = 0; i < cls.Length; i++)
        {
            char lo = cls[i];
            if (lo == '\\' && i + 1 < cls.Length) lo = cls[++i];
            char hi = lo;
            if (i + 2 < cls.Length && cls[i + 1] == '-')
            {
                hi = cls[i + 2];
                if (hi == '\\' && i + 3 < cls.Length) { hi = cls[i + 3]; i++; }
                i += 2;
            }
            if (ch >= lo && ch <= hi) matched = true;
        }
        return matched != negate;
    }
}
