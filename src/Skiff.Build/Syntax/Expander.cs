using System.Text;
using System.Text.RegularExpressions;

namespace Skiff.Build.Syntax;

/// <summary>Docker's word expansion (the BuildKit shell lexer) for the instructions docker expands itself: ADD, COPY,
/// ENV, EXPOSE, FROM, LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR, ARG and RUN --mount values (not the RUN/CMD/ENTRYPOINT
/// command text, which the shell expands). Handles <c>$V</c>, <c>${V}</c>, <c>${V:-w}</c>, <c>${V-w}</c>,
/// <c>${V:+w}</c>, <c>${V+w}</c>, <c>${V:?msg}</c>, <c>${V?msg}</c>, <c>${V#p}</c> <c>${V##p}</c> <c>${V%p}</c>
/// <c>${V%%p}</c> <c>${V/p/r}</c> <c>${V//p/r}</c> with nested words, single quotes (literal), double quotes
/// (expanding; escape only before <c>"</c> <c>$</c> and the escape char) and the escape character. Quotes and escapes
/// are removed from the result unless <see cref="RawQuotes"/>/<see cref="RawEscapes"/>.</summary>
public sealed class Expander(char escape = '\\')
{
    public char Escape { get; } = escape;

    /// <summary>Keep quote characters in the result (they still stop expansion inside single quotes).</summary>
    public bool RawQuotes { get; init; }

    /// <summary>Keep escape characters in the result.</summary>
    public bool RawEscapes { get; init; }

    /// <summary>Leave <c>$X</c>/<c>${X}</c> as written when X is not set.</summary>
    public bool SkipUnsetEnv { get; init; }

    /// <summary>Quotes are ordinary characters (heredoc bodies: <c>'$X'</c> still expands).</summary>
    public bool SkipProcessQuotes { get; init; }

    /// <summary>The lexer docker uses for an unquoted heredoc body (<c>COPY &lt;&lt;EOF</c>): quotes are literal,
    /// <c>\</c> still escapes (always <c>\</c>, whatever the escape directive).</summary>
    public static Expander ForHeredoc() => new('\\') { SkipProcessQuotes = true };

    /// <summary>Expands <paramref name="word"/> as one word (whitespace kept). Names looked up go into
    /// <paramref name="used"/> when given (for cache keys and the unused-build-arg check).</summary>
    public string ProcessWord(string word, IReadOnlyDictionary<string, string> env, ISet<string>? used = null)
    {
        var run = new Run(this, word, env, used);
        try { return run.ProcessStopOn(null).Item1; }
        catch (ExpansionException e) { throw new ExpansionException($"failed to process {GoQuote(word)}: {e.Message}"); }
    }

    /// <summary>Expands and splits into words on unquoted whitespace (EXPOSE, heredoc detection): a variable's value
    /// is split too, quoted text is not.</summary>
    public IReadOnlyList<string> ProcessWords(string word, IReadOnlyDictionary<string, string> env, ISet<string>? used = null)
    {
        var run = new Run(this, word, env, used);
        try { return run.ProcessStopOn(null).Item2.Result(); }
        catch (ExpansionException e) { throw new ExpansionException($"failed to process {GoQuote(word)}: {e.Message}"); }
    }

    /// <summary>A string quoted as Go's %q does for printable text (errors read as docker's).</summary>
    internal static string GoQuote(string s) =>
        "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n").Replace("\t", "\\t") + "\"";

    private sealed class WordList
    {
        private readonly List<string> _words = [];
        private readonly StringBuilder _word = new();
        private bool _inWord;

        public void AddChar(char c)
        {
            if (char.IsWhiteSpace(c) && _inWord)
            {
                if (_word.Length != 0) { _words.Add(_word.ToString()); _word.Clear(); _inWord = false; }
            }
            else if (!char.IsWhiteSpace(c)) AddRawChar(c);
        }

        public void AddRawChar(char c) { _word.Append(c); _inWord = true; }
        public void AddString(string s) { foreach (char c in s) AddChar(c); }
        public void AddRawString(string s) { _word.Append(s); _inWord = true; }

        public List<string> Result()
        {
            var r = new List<string>(_words);
            if (_word.Length > 0) r.Add(_word.ToString());
            return r;
        }
    }

    private sealed class Run(Expander lex, string src, IReadOnlyDictionary<string, string> env, ISet<string>? used)
    {
        private int _pos;
        private bool _rawEscapes = lex.RawEscapes;
        private const int Eof = -1;

        private int Peek() => _pos < src.Length ? src[_pos] : Eof;
        private int Next() => _pos < src.Length ? src[_pos++] : Eof;

        public (string, WordList) ProcessStopOn(char? stop) => ProcessStopOn(stop, _rawEscapes);

        private (string, WordList) ProcessStopOn(char? stop, bool rawEscapes)
        {
            bool saved = _rawEscapes;
            _rawEscapes = rawEscapes;
            try
            {
                var result = new StringBuilder();
                var words = new WordList();
                while (Peek() != Eof)
                {
                    int ch = Peek();
                    if (stop is not null && ch == stop.Value) { Next(); return (result.ToString(), words); }
                    if (ch == '$')
                    {
                        string v = ProcessDollar();
                        result.Append(v);
                        words.AddString(v);
                        continue;
                    }
                    if (ch == '<' && _pos + 1 < src.Length && src[_pos + 1] == '<')
                    {
                        // "<<" and the blanks after it stay with the next word (a heredoc start like "<< EOF").
                        int from = _pos;
                        _pos += 2;
                        while (Peek() is ' ' or '\t') Next();
                        string h = src[from.._pos];
                        result.Append(h);
                        words.AddRawString(h);
                        continue;
                    }
                    if (!lex.SkipProcessQuotes && ch is '\'' or '"')
                    {
                        string q = ch == '\'' ? ProcessSingleQuote() : ProcessDoubleQuote();
                        result.Append(q);
                        words.AddRawString(q);
                        continue;
                    }
                    ch = Next();
                    if (ch == lex.Escape)
                    {
                        if (_rawEscapes) { words.AddRawChar((char)ch); result.Append((char)ch); }
                        ch = Next();
                        if (ch == Eof) break;
                        words.AddRawChar((char)ch);
                    }
                    else words.AddChar((char)ch);
                    result.Append((char)ch);
                }
                if (stop is not null)
                    throw new ExpansionException($"unexpected end of statement while looking for matching {stop}");
                return (result.ToString(), words);
            }
            finally { _rawEscapes = saved; }
        }

        private string ProcessSingleQuote()
        {
            var result = new StringBuilder();
            int ch = Next();
            if (lex.RawQuotes) result.Append((char)ch);
            while (true)
            {
                ch = Next();
                if (ch == Eof) throw new ExpansionException("unexpected end of statement while looking for matching single-quote");
                if (ch == '\'')
                {
                    if (lex.RawQuotes) result.Append('\'');
                    return result.ToString();
                }
                result.Append((char)ch);
            }
        }

        private string ProcessDoubleQuote()
        {
            var result = new StringBuilder();
            int ch = Next();
            if (lex.RawQuotes) result.Append((char)ch);
            while (true)
            {
                int p = Peek();
                if (p == Eof) throw new ExpansionException("unexpected end of statement while looking for matching double-quote");
                if (p == '"')
                {
                    Next();
                    if (lex.RawQuotes) result.Append('"');
                    return result.ToString();
                }
                if (p == '$') { result.Append(ProcessDollar()); continue; }
                ch = Next();
                if (ch == lex.Escape)
                {
                    if (_rawEscapes) result.Append((char)ch);
                    int n = Peek();
                    if (n == Eof) continue; // an escape at the very end is dropped
                    if (n == '"' || n == '$' || n == lex.Escape) ch = Next();
                    else if (_rawEscapes) continue; // already written; the next char is processed on its own
                }
                result.Append((char)ch);
            }
        }

        private bool Lookup(string name, out string value)
        {
            used?.Add(name);
            if (env.TryGetValue(name, out var v)) { value = v; return true; }
            value = "";
            return false;
        }

        private string ProcessDollar()
        {
            Next(); // $
            if (Peek() != '{')
            {
                string n = ProcessName();
                if (n.Length == 0) return "$";
                bool found = Lookup(n, out var v);
                if (!found && lex.SkipUnsetEnv) return "$" + n;
                return v;
            }
            Next(); // {
            int first = Peek();
            if (first == Eof) throw new ExpansionException("syntax error: missing '}'");
            if (first is '{' or '}' or ':') throw new ExpansionException("syntax error: bad substitution");
            string name = ProcessName();
            int ch = Next();
            string chs = ch == Eof ? "" : ((char)ch).ToString();
            bool nullIsUnset = false;
            if (ch == '}')
            {
                bool set = Lookup(name, out var v);
                if (!set && lex.SkipUnsetEnv) return "${" + name + "}";
                return v;
            }
            if (ch == ':')
            {
                nullIsUnset = true;
                ch = Next();
                chs += ch == Eof ? "" : ((char)ch).ToString();
                if (ch is not ('+' or '-' or '?' or '#' or '%'))
                    throw new ExpansionException(ch == Eof ? "syntax error: missing '}'" : $"unsupported modifier ({chs}) in substitution");
            }
            if (ch is '+' or '-' or '?' or '#' or '%')
            {
                bool raw = ch is '#' or '%';
                if (nullIsUnset && raw) throw new ExpansionException($"unsupported modifier ({chs}) in substitution");
                string word;
                try { word = ProcessStopOn('}', raw).Item1; }
                catch (ExpansionException) when (Peek() == Eof) { throw new ExpansionException("syntax error: missing '}'"); }
                bool set = Lookup(name, out var value);
                if (lex.SkipUnsetEnv && !set) return "${" + name + chs + word + "}";
                bool empty = !set || (nullIsUnset && value.Length == 0);
                switch (ch)
                {
                    case '-': return empty ? word : value;
                    case '+': return empty ? "" : word;
                    case '?':
                        if (!set) throw new ExpansionException($"{name}: {(word.Length > 0 ? word : "is not allowed to be unset")}");
                        if (nullIsUnset && value.Length == 0) throw new ExpansionException($"{name}: {(word.Length > 0 ? word : "is not allowed to be empty")}");
                        return value;
                    default:
                        bool greedy = word.Length > 0 && word[0] == ch;
                        if (greedy) word = word[1..];
                        return ch == '%' ? TrimSuffix(word, value, greedy) : TrimPrefix(word, value, greedy);
                }
            }
            if (ch == '/')
            {
                bool all = Peek() == '/';
                if (all) Next();
                string pattern, replacement;
                try { pattern = ProcessStopOn('/', true).Item1; }
                catch (ExpansionException) when (Peek() == Eof) { throw new ExpansionException("syntax error: missing '/' in ${}"); }
                try { replacement = ProcessStopOn('}', true).Item1; }
                catch (ExpansionException) when (Peek() == Eof) { throw new ExpansionException("syntax error: missing '}'"); }
                bool set = Lookup(name, out var value);
                if (lex.SkipUnsetEnv && !set) return "${" + name + "/" + pattern + "/" + replacement + "}";
                var re = PatternRegex(pattern, greedy: true, anchored: false);
                if (all) return re.Replace(value, replacement.Replace("$", "$$"));
                var m = re.Match(value);
                return m.Success ? value[..m.Index] + replacement + value[(m.Index + m.Length)..] : value;
            }
            if (ch == Eof) throw new ExpansionException("syntax error: missing '}'");
            throw new ExpansionException($"unsupported modifier ({chs}) in substitution");
        }

        private string ProcessName()
        {
            var name = new StringBuilder();
            while (Peek() != Eof)
            {
                char ch = (char)Peek();
                if (name.Length == 0 && char.IsDigit(ch))
                {
                    while (Peek() != Eof && char.IsDigit((char)Peek())) name.Append((char)Next());
                    return name.ToString();
                }
                if (name.Length == 0 && ch is '@' or '*' or '#' or '?' or '-' or '$' or '!' or '0')
                {
                    Next();
                    return ch.ToString();
                }
                if (!char.IsLetterOrDigit(ch) && ch != '_') break;
                name.Append((char)Next());
            }
            return name.ToString();
        }
    }

    /// <summary>A shell pattern of <c>${V#p}</c>/<c>${V%p}</c>/<c>${V/p/r}</c> as a regex: <c>*</c> and <c>?</c>
    /// wildcards, <c>\</c> escaping <c>*</c> <c>?</c> <c>\</c> (and <c>}</c> <c>/</c>, dropped); no bracket expressions, as docker.</summary>
    private static Regex PatternRegex(string pattern, bool greedy, bool anchored)
    {
        var sb = new StringBuilder(anchored ? "^" : "");
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            switch (c)
            {
                case '*': sb.Append(greedy ? ".*" : ".*?"); break;
                case '?': sb.Append('.'); break;
                case '\\':
                    if (i + 1 < pattern.Length && pattern[i + 1] is '}' or '/') break;
                    if (i + 1 >= pattern.Length || pattern[i + 1] is not ('*' or '?' or '\\'))
                        throw new ExpansionException($"invalid pattern ({pattern}) in substitution: invalid escape '\\{(i + 1 < pattern.Length ? pattern[i + 1] : ' ')}'");
                    sb.Append('\\').Append(pattern[++i]);
                    break;
                default: sb.Append(Regex.Escape(c.ToString())); break;
            }
        }
        return new Regex(sb.ToString(), RegexOptions.CultureInvariant);
    }

    private static string TrimPrefix(string pattern, string value, bool greedy)
    {
        var m = PatternRegex(pattern, greedy, anchored: true).Match(value);
        return m.Success ? value[(m.Index + m.Length)..] : value;
    }

    private static string TrimSuffix(string pattern, string value, bool greedy)
    {
        // Shortest/longest rightmost match = leftmost match on the reversed text with the reversed pattern.
        string rev = ReversePattern(pattern);
        var chars = value.ToCharArray();
        Array.Reverse(chars);
        string r = TrimPrefix(rev, new string(chars), greedy);
        var back = r.ToCharArray();
        Array.Reverse(back);
        return new string(back);
    }

    private static string ReversePattern(string pattern)
    {
        var outp = new char[pattern.Length];
        int last = pattern.Length - 1;
        for (int i = 0; i <= last;)
        {
            if (pattern[i] == '\\' && i != last)
            {
                outp[last - i - 1] = '\\';
                outp[last - i] = pattern[i + 1];
                i += 2;
            }
            else { outp[last - i] = pattern[i]; i++; }
        }
        return new string(outp);
    }
}
