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

    /// <summary>The lexer for an unquoted heredoc body (<c>COPY &lt;&lt;EOF</c>): quotes are literal, escapes kept.</summary>
    public static Expander ForHeredoc(char escape = '\\') => new(escape) { SkipProcessQuotes = true, RawEscapes = true };

    /// <summary>Expands <paramref name="word"/> as one word (whitespace kept). Names looked up go into
    /// <paramref name="used"/> when given (for cache keys and the unused-build-arg check).</summary>
    public string ProcessWord(string word, IReadOnlyDictionary<string, string> env, ISet<string>? used = null)
    {
        var run = new Run(this, word, env, used);
        var (result, _) = run.ProcessStopOn(null);
        return result;
    }

    /// <summary>Expands and splits into words on unquoted whitespace (EXPOSE, heredoc detection): a variable's value
    /// is split too, quoted text is not.</summary>
    public IReadOnlyList<string> ProcessWords(string word, IReadOnlyDictionary<string, string> env, ISet<string>? used = null)
    {
        var run = new Run(this, word, env, used);
        var (_, words) = run.ProcessStopOn(null);
        return words.Result();
    }

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
            if (_inWord) r.Add(_word.ToString());
            return r;
        }
    }

    private sealed class Run(Expander lex, string src, IReadOnlyDictionary<string, string> env, ISet<string>? used)
    {
        private int _pos;
        private const int Eof = -1;

        private int Peek() => _pos < src.Length ? src[_pos] : Eof;
        private int Next() => _pos < src.Length ? src[_pos++] : Eof;

        public (string, WordList) ProcessStopOn(char? stop)
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
                    if (lex.RawEscapes) { words.AddRawChar((char)ch); result.Append((char)ch); }
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
                    int n = Peek();
                    if (n == Eof) continue; // an escape at the very end is dropped
                    if (n == '"' || n == '$' || n == lex.Escape)
                    {
                        if (lex.RawEscapes) result.Append((char)ch);
                        ch = Next();
                    }
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
            switch (ch)
            {
                case '}':
                {
                    bool set = Lookup(name, out var v);
                    if (!set && lex.SkipUnsetEnv) return "${" + name + "}";
                    return v;
                }
                case '?':
                {
                    string word = Nested();
                    bool set = Lookup(name, out var v);
                    if (!set)
                    {
                        if (lex.SkipUnsetEnv) return "${" + name + "?" + word + "}";
                        throw new ExpansionException($"{name}: {(word.Length > 0 ? word : "is not allowed to be unset")}");
                    }
                    return v;
                }
                case ':':
                {
                    int modifier = Next();
                    string word = Nested();
                    bool set = Lookup(name, out var v);
                    switch (modifier)
                    {
                        case '+': return v.Length != 0 ? word : v;
                        case '-': return v.Length == 0 ? word : v;
                        case '?':
                            if (!set) throw new ExpansionException($"{name}: {(word.Length > 0 ? word : "is not allowed to be unset")}");
                            if (v.Length == 0) throw new ExpansionException($"{name}: {(word.Length > 0 ? word : "is not allowed to be empty")}");
                            return v;
                        default:
                            throw new ExpansionException($"unsupported modifier ({(modifier == Eof ? "" : ((char)modifier).ToString())}) in substitution");
                    }
                }
                case '+':
                case '-':
                {
                    string word = Nested();
                    bool set = Lookup(name, out var v);
                    if (!set && lex.SkipUnsetEnv) return "${" + name + (char)ch + word + "}";
                    return ch == '+' ? (set ? word : v) : (set ? v : word);
                }
                case '#':
                case '%':
                {
                    bool longest = Peek() == ch;
                    if (longest) Next();
                    string pattern = Nested();
                    bool set = Lookup(name, out var v);
                    if (!set && lex.SkipUnsetEnv) return "${" + name + (char)ch + (longest ? ((char)ch).ToString() : "") + pattern + "}";
                    return ch == '#' ? TrimPrefix(v, pattern, longest) : TrimSuffix(v, pattern, longest);
                }
                case '/':
                {
                    bool all = Peek() == '/';
                    if (all) Next();
                    string pattern = ProcessUntil('/', '}', out bool sawSlash);
                    string replacement = sawSlash ? Nested() : "";
                    bool set = Lookup(name, out var v);
                    if (!set && lex.SkipUnsetEnv) return "${" + name + (all ? "//" : "/") + pattern + (sawSlash ? "/" + replacement : "") + "}";
                    return Replace(v, pattern, replacement, all);
                }
                case Eof:
                    throw new ExpansionException("syntax error: missing '}'");
                default:
                    throw new ExpansionException($"unsupported modifier ({(char)ch}) in substitution");
            }
        }

        private string Nested()
        {
            try { return ProcessStopOn('}').Item1; }
            catch (ExpansionException) when (Peek() == Eof) { throw new ExpansionException("syntax error: missing '}'"); }
        }

        /// <summary>Processes a nested word up to <paramref name="stop"/> or <paramref name="end"/> (consumed).</summary>
        private string ProcessUntil(char stop, char end, out bool sawStop)
        {
            var result = new StringBuilder();
            while (true)
            {
                int ch = Peek();
                if (ch == Eof) throw new ExpansionException("syntax error: missing '}'");
                if (ch == stop) { Next(); sawStop = true; return result.ToString(); }
                if (ch == end) { Next(); sawStop = false; return result.ToString(); }
                if (ch == '$') { result.Append(ProcessDollar()); continue; }
                if (!lex.SkipProcessQuotes && ch is '\'' or '"') { result.Append(ch == '\'' ? ProcessSingleQuote() : ProcessDoubleQuote()); continue; }
                Next();
                if (ch == lex.Escape)
                {
                    int n = Next();
                    if (n == Eof) throw new ExpansionException("syntax error: missing '}'");
                    ch = n;
                }
                result.Append((char)ch);
            }
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

    private static Regex GlobRegex(string pattern)
    {
        var sb = new StringBuilder("^");
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            switch (c)
            {
                case '*': sb.Append("[\\s\\S]*"); break;
                case '?': sb.Append("[\\s\\S]"); break;
                case '[':
                {
                    int j = pattern.IndexOf(']', i + 2 <= pattern.Length ? i + 2 : i + 1);
                    if (j < 0) { sb.Append("\\["); break; }
                    string body = pattern[(i + 1)..j];
                    if (body.StartsWith('!')) body = "^" + body[1..];
                    sb.Append('[').Append(body.Replace("\\", "\\\\")).Append(']');
                    i = j;
                    break;
                }
                case '\\' when i + 1 < pattern.Length:
                    sb.Append(Regex.Escape(pattern[++i].ToString()));
                    break;
                default: sb.Append(Regex.Escape(c.ToString())); break;
            }
        }
        return new Regex(sb.Append('$').ToString(), RegexOptions.CultureInvariant);
    }

    private static string TrimPrefix(string value, string pattern, bool longest)
    {
        var re = GlobRegex(pattern);
        if (longest) { for (int i = value.Length; i >= 0; i--) if (re.IsMatch(value[..i])) return value[i..]; }
        else { for (int i = 0; i <= value.Length; i++) if (re.IsMatch(value[..i])) return value[i..]; }
        return value;
    }

    private static string TrimSuffix(string value, string pattern, bool longest)
    {
        var re = GlobRegex(pattern);
        if (longest) { for (int i = 0; i <= value.Length; i++) if (re.IsMatch(value[i..])) return value[..i]; }
        else { for (int i = value.Length; i >= 0; i--) if (re.IsMatch(value[i..])) return value[..i]; }
        return value;
    }

    private static string Replace(string value, string pattern, string replacement, bool all)
    {
        if (pattern.Length == 0) return value;
        var re = GlobRegex(pattern);
        var sb = new StringBuilder();
        int i = 0;
        bool replaced = false;
        while (i < value.Length)
        {
            int matchEnd = -1;
            if (all || !replaced)
                for (int j = value.Length; j > i; j--)
                    if (re.IsMatch(value[i..j])) { matchEnd = j; break; }
            if (matchEnd > 0) { sb.Append(replacement); i = matchEnd; replaced = true; }
            else sb.Append(value[i++]);
        }
        return sb.ToString();
    }
}
