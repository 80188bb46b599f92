using System.Text;
using System.Text.RegularExpressions;

namespace Skiff.Build.Ignore;

/// <summary>One .dockerignore pattern compiled as moby/patternmatcher does: <c>*</c> is any run of characters but
/// <c>/</c>, <c>?</c> one character but <c>/</c>, <c>**</c> any number of directories (<c>**/</c> also none),
/// <c>[...]</c> a character class, <c>\</c> escapes the next character. A pattern matches the whole relative path.</summary>
public sealed class IgnorePattern
{
    private readonly Regex _regex;

    public IgnorePattern(string cleaned, bool exclusion)
    {
        Pattern = cleaned;
        Exclusion = exclusion;
        _regex = new Regex(ToRegex(cleaned), RegexOptions.CultureInvariant | RegexOptions.Singleline);
        Components = cleaned.Split('/');
    }

    /// <summary>The cleaned pattern without its <c>!</c>.</summary>
    public string Pattern { get; }

    /// <summary>A <c>!</c> pattern: paths it matches are sent again.</summary>
    public bool Exclusion { get; }

    internal string[] Components { get; }

    public bool IsMatch(string path) => _regex.IsMatch(path);

    public override string ToString() => Exclusion ? "!" + Pattern : Pattern;

    private static string ToRegex(string pattern)
    {
        var sb = new StringBuilder("^");
        for (int i = 0; i < pattern.Length; i++)
        {
            char ch = pattern[i];
            if (ch == '*')
            {
                if (i + 1 < pattern.Length && pattern[i + 1] == '*')
                {
                    i++;
                    if (i + 1 < pattern.Length && pattern[i + 1] == '/') i++;
                    sb.Append(i + 1 >= pattern.Length ? ".*" : "(.*/)?");
                }
                else sb.Append("[^/]*");
            }
            else if (ch == '?') sb.Append("[^/]");
            else if (ch == '\\')
            {
                if (i + 1 < pattern.Length) sb.Append('\\').Append(pattern[++i]);
                else sb.Append("\\\\");
            }
            else if (ch is '[' or ']') sb.Append(ch);
            else if (".+()|{}$".Contains(ch)) sb.Append('\\').Append(ch);
            else sb.Append(ch);
        }
        return sb.Append('$').ToString();
    }

    /// <summary>Refuses what Go's filepath.Match calls a syntax error: an unclosed <c>[</c>, a trailing <c>\</c>
    /// inside a class, an empty class.</summary>
    internal static string? SyntaxError(string pattern)
    {
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '\\') { i++; continue; }
            if (c != '[') continue;
            int j = i + 1;
            if (j < pattern.Length && pattern[j] is '^' or '!') j++;
            int start = j;
            bool closed = false;
            for (; j < pattern.Length; j++)
            {
                if (pattern[j] == '\\') { j++; continue; }
                if (pattern[j] == ']' && j > start) { closed = true; break; }
                if (pattern[j] == ']') break;
            }
            if (!closed) return "syntax error in pattern";
            i = j;
        }
        return null;
    }
}
