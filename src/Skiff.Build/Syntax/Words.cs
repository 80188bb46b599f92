using System.Text;
using System.Text.Json;

namespace Skiff.Build.Syntax;

/// <summary>The ways docker's parser cuts an instruction's arguments into words, before any expansion.</summary>
internal static class Words
{
    public readonly record struct Word(string Text, int Offset);

    /// <summary>Docker's whitespace set for splitting (<c>[\t\v\f\r ]</c>).</summary>
    public static bool IsSplitSpace(char c) => c is ' ' or '\t' or '\v' or '\f' or '\r';

    /// <summary>Split on runs of whitespace, no quote handling (FROM, EXPOSE, COPY/ADD/VOLUME shell form).</summary>
    public static List<Word> SplitWhitespace(string s, int baseOffset = 0)
    {
        var words = new List<Word>();
        int i = 0;
        while (i < s.Length)
        {
            while (i < s.Length && IsSplitSpace(s[i])) i++;
            if (i >= s.Length) break;
            int start = i;
            while (i < s.Length && !IsSplitSpace(s[i])) i++;
            words.Add(new Word(s[start..i], baseOffset + start));
        }
        return words;
    }

    /// <summary>Split on whitespace outside quotes, keeping quotes and escapes in the words (ENV, LABEL, ARG): the
    /// expander removes them later. An escape outside quotes always keeps the next character in the word; inside
    /// double quotes it does too; inside single quotes it is an ordinary character.</summary>
    public static List<Word> SplitQuoted(string rest, char escape, int baseOffset = 0)
    {
        var words = new List<Word>();
        var word = new StringBuilder();
        int start = 0;
        bool blankOk = false;
        char quote = '\0';
        int phase = 0; // 0 spaces, 1 word, 2 quote
        for (int pos = 0; pos <= rest.Length; pos++)
        {
            char ch = pos < rest.Length ? rest[pos] : '\0';
            if (phase == 0)
            {
                if (pos == rest.Length) break;
                if (char.IsWhiteSpace(ch)) continue;
                phase = 1;
                start = pos;
            }
            if (pos == rest.Length)
            {
                if (blankOk || word.Length > 0) words.Add(new Word(word.ToString(), baseOffset + start));
                break;
            }
            if (phase == 1)
            {
                if (char.IsWhiteSpace(ch))
                {
                    phase = 0;
                    if (blankOk || word.Length > 0) words.Add(new Word(word.ToString(), baseOffset + start));
                    word.Clear();
                    blankOk = false;
                    continue;
                }
                if (ch is '\'' or '"') { quote = ch; blankOk = true; phase = 2; }
                if (ch == escape)
                {
                    if (pos + 1 == rest.Length) continue;
                    word.Append(ch);
                    pos++;
                    ch = rest[pos];
                }
                word.Append(ch);
                continue;
            }
            // phase 2: in quotes
            if (ch == quote) phase = 1;
            if (ch == escape && quote != '\'')
            {
                if (pos + 1 == rest.Length) { phase = 1; continue; }
                pos++;
                word.Append(ch);
                ch = rest[pos];
            }
            word.Append(ch);
        }
        return words;
    }

    /// <summary>The leading <c>--flag[=value]</c> words of an instruction's arguments (quotes and backslashes
    /// inside a flag handled as docker does), and the offset where the arguments proper begin. A lone <c>--</c> ends the flags.</summary>
    public static (List<Word> Flags, int RestOffset) ExtractFlags(string line)
    {
        var flags = new List<Word>();
        var word = new StringBuilder();
        int phase = 0; // 0 spaces, 1 word, 2 quote
        char quote = '\0';
        bool blankOk = false;
        int start = 0;
        for (int pos = 0; pos <= line.Length; pos++)
        {
            char ch = pos < line.Length ? line[pos] : '\0';
            if (phase == 0)
            {
                if (pos == line.Length) break;
                if (char.IsWhiteSpace(ch)) continue;
                if (ch != '-' || pos + 1 == line.Length || line[pos + 1] != '-') return (flags, pos);
                phase = 1;
                start = pos;
            }
            if (pos == line.Length)
            {
                if (word.ToString() != "--" && (blankOk || word.Length > 0)) flags.Add(new Word(word.ToString(), start));
                break;
            }
            if (phase == 1)
            {
                if (char.IsWhiteSpace(ch))
                {
                    phase = 0;
                    if (word.ToString() == "--") return (flags, pos);
                    if (blankOk || word.Length > 0) flags.Add(new Word(word.ToString(), start));
                    word.Clear();
                    blankOk = false;
                    continue;
                }
                if (ch is '\'' or '"') { quote = ch; blankOk = true; phase = 2; continue; }
                if (ch == '\\')
                {
                    if (pos + 1 == line.Length) continue;
                    pos++;
                    ch = line[pos];
                }
                word.Append(ch);
                continue;
            }
            if (ch == quote) { phase = 1; continue; }
            if (ch == '\\')
            {
                if (pos + 1 == line.Length) { phase = 1; continue; }
                pos++;
                ch = line[pos];
            }
            word.Append(ch);
        }
        return (flags, line.Length);
    }

    public enum JsonResult { NotJson, Strings, NotStrings }

    /// <summary>Reads <paramref name="rest"/> as a JSON array of strings, as docker does (the whole text must be
    /// one JSON value; leading and trailing whitespace allowed). Invalid JSON is
    /// <see cref="JsonResult.NotJson"/> (docker then takes the shell form); a valid array with a non-string element is
    /// <see cref="JsonResult.NotStrings"/> (an error in docker).</summary>
    public static JsonResult TryParseJsonArray(string rest, out List<string> values)
    {
        values = [];
        string t = rest.TrimStart();
        if (!t.StartsWith('[')) return JsonResult.NotJson;
        var bytes = Encoding.UTF8.GetBytes(t);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        bool nonString = false;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray) return JsonResult.NotJson;
            while (true)
            {
                if (!reader.Read()) return JsonResult.NotJson;
                if (reader.TokenType == JsonTokenType.EndArray) break;
                if (reader.TokenType == JsonTokenType.String) { values.Add(reader.GetString()!); continue; }
                nonString = true;
                if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject)
                    if (!reader.TrySkip()) return JsonResult.NotJson;
            }
            if (reader.Read()) return JsonResult.NotJson; // something after the array
        }
        catch (JsonException)
        {
            values = [];
            return JsonResult.NotJson;
        }
        if (nonString) { values = []; return JsonResult.NotStrings; }
        return JsonResult.Strings;
    }
}
