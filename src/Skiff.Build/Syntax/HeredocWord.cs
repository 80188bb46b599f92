using System.Text.RegularExpressions;

namespace Skiff.Build.Syntax;

/// <summary>Recognises a heredoc start word (<c>&lt;&lt;EOF</c>, <c>&lt;&lt;-EOF</c>, <c>&lt;&lt;"EOF"</c>,
/// <c>&lt;&lt;'EOF'</c>) as docker does: the delimiter is the word with quotes removed, and the body expands only when
/// no part of the delimiter was quoted.</summary>
internal static partial class HeredocWord
{
    [GeneratedRegex(@"^(\d*)<<(-?)\s*([^<]*)$")]
    private static partial Regex Start();

    private static readonly Dictionary<string, string> NoEnv = [];

    public static bool TryParse(string word, out string name, out bool expand, out bool chomp)
    {
        name = "";
        expand = chomp = false;
        var m = Start().Match(word);
        if (!m.Success) return false;
        chomp = m.Groups[2].Value == "-";
        string rest = m.Groups[3].Value;
        if (rest.Length == 0) return false;
        try
        {
            var words = new Expander('\\') { SkipUnsetEnv = true }.ProcessWords(rest, NoEnv);
            if (words.Count != 1) return false;
            var raw = new Expander('\\') { SkipUnsetEnv = true, RawQuotes = true }.ProcessWords(rest, NoEnv);
            if (raw.Count != 1) return false;
            name = words[0];
            expand = Quotes(words[0]) == Quotes(raw[0]);
            return name.Length > 0;
        }
        catch (ExpansionException)
        {
            return false;
        }
    }

    private static int Quotes(string s) => s.Count(c => c is '\'' or '"');

    /// <summary>The heredoc start words of an instruction's text, in order, with their offsets: words split as the
    /// shell would (quotes kept), so <c>"&lt;&lt;EOF"</c> inside quotes is not one.</summary>
    public static List<(string Name, bool Expand, bool Chomp, int Offset)> Find(string text)
    {
        var found = new List<(string, bool, bool, int)>();
        if (!text.Contains("<<", StringComparison.Ordinal)) return found;
        IReadOnlyList<string> words;
        try { words = new Expander('\\') { RawQuotes = true, RawEscapes = true, SkipUnsetEnv = true }.ProcessWords(text, NoEnv); }
        catch (ExpansionException) { return found; }
        int searchFrom = 0;
        foreach (var w in words)
        {
            int at = text.IndexOf(w, searchFrom, StringComparison.Ordinal);
            if (at >= 0) searchFrom = at + w.Length;
            if (TryParse(w, out var name, out var expand, out var chomp))
                found.Add((name, expand, chomp, Math.Max(0, at)));
        }
        return found;
    }
}
