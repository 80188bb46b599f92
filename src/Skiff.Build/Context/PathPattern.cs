namespace Skiff.Build.Context;

/// <summary>Matches a '/'-separated relative path against a pattern of the same shape where a component may use glob
/// syntax and "**" stands for any number of components (COPY --exclude). A pattern that matches a directory also
/// matches everything below it.</summary>
public static class PathPattern
{
    public static bool Match(string pattern, string path)
    {
        var p = pattern.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        var s = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return Match(p, 0, s, 0);
    }

    static bool Match(string[] p, int i, string[] s, int j)
    {
        if (i == p.Length) return true; // prefix matched: path is at or below a matching directory
        if (p[i] == "**")
        {
            for (int k = j; k <= s.Length; k++)
                if (Match(p, i + 1, s, k)) return true;
            return false;
        }
        if (j == s.Length) return false;
        return Glob.Match(p[i], s[j]) && Match(p, i + 1, s, j + 1);
    }
}
