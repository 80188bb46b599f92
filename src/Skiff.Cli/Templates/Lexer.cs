namespace Skiff.Cli.Templates;

public enum TokenKind
{
    Error, Eof, Text, LeftDelim, RightDelim, Space, Comment,
    Identifier, Field, Variable, Dot, String, RawString, CharConstant, Number, Bool, Nil,
    Pipe, Declare, Assign, LeftParen, RightParen, Char,
    // keywords
    Block, Break, Continue, Define, Else, End, If, Range, Template, With,
}

public readonly record struct Token(TokenKind Kind, int Pos, string Value)
{
    public override string ToString() => Kind switch
    {
        TokenKind.Eof => "EOF",
        TokenKind.Error => Value,
        TokenKind.Space => "space",
        TokenKind.Text or TokenKind.Comment => $"\"{Value}\"",
        _ when Kind >= TokenKind.Block => $"<{Value}>",
        _ => $"\"{Value}\"",
    };
}

/// <summary>
/// Splits a template into tokens as Go's text/template lexer does: text between actions, and inside
/// <c>{{ }}</c> fields, variables, literals, keywords and punctuation; <c>{{- </c> and <c> -}}</c> trim the
/// neighbouring text's white space; <c>{{/* */}}</c> is a comment.
/// </summary>
public sealed class Lexer
{
    const string LeftDelim = "{{", RightDelim = "}}";
    readonly string input;
    readonly List<Token> tokens = [];
    int pos, start, parenDepth;

    Lexer(string input) { this.input = input; }

    /// <summary>All tokens, ending with Eof or an Error token.</summary>
    public static List<Token> Lex(string input)
    {
        var l = new Lexer(input);
        l.Run();
        return l.tokens;
    }

    static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n';
    static bool IsAlphaNumeric(char c) => c == '_' || char.IsLetterOrDigit(c);

    void Emit(TokenKind kind) { tokens.Add(new Token(kind, start, input[start..pos])); start = pos; }
    bool Error(string message) { tokens.Add(new Token(TokenKind.Error, start, message)); return false; }
    char Peek(int offset = 0) => pos + offset < input.Length ? input[pos + offset] : '\0';
    bool AtEnd => pos >= input.Length;

    void Run()
    {
        while (true)
        {
            int next = input.IndexOf(LeftDelim, pos, StringComparison.Ordinal);
            if (next < 0)
            {
                pos = input.Length;
                if (pos > start) Emit(TokenKind.Text);
                tokens.Add(new Token(TokenKind.Eof, pos, ""));
                return;
            }
            bool trimLeft = next + 3 < input.Length && input[next + 2] == '-' && IsSpace(input[next + 3]);
            int textEnd = next;
            if (trimLeft) while (textEnd > start && IsSpace(input[textEnd - 1])) textEnd--;
            if (textEnd > start) tokens.Add(new Token(TokenKind.Text, start, input[start..textEnd]));
            pos = start = next;
            if (!LexLeftDelim(trimLeft)) return;
        }
    }

    bool LexLeftDelim(bool trim)
    {
        pos += LeftDelim.Length;
        int afterMarker = trim ? 2 : 0;
        if (string.CompareOrdinal(input, pos + afterMarker, "/*", 0, 2) == 0)
        {
            pos += afterMarker;
            start = pos;
            return LexComment();
        }
        Emit(TokenKind.LeftDelim);
        pos += afterMarker;
        start = pos;
        parenDepth = 0;
        return LexInsideAction();
    }

    bool LexComment()
    {
        pos += 2;
        int end = input.IndexOf("*/", pos, StringComparison.Ordinal);
        if (end < 0) return Error("unclosed comment");
        pos = end + 2;
        var (delim, trim) = AtRightDelim();
        if (!delim) return Error("comment ends before closing delimiter");
        Emit(TokenKind.Comment);
        if (trim) pos += 2;
        pos += RightDelim.Length;
        if (trim) SkipSpace();
        start = pos;
        return true;
    }

    void SkipSpace() { while (!AtEnd && IsSpace(input[pos])) pos++; }

    (bool delim, bool trim) AtRightDelim()
    {
        if (pos + 1 < input.Length && IsSpace(input[pos]) && input[pos + 1] == '-' &&
            string.CompareOrdinal(input, pos + 2, RightDelim, 0, 2) == 0)
            return (true, true);
        if (string.CompareOrdinal(input, pos, RightDelim, 0, 2) == 0) return (true, false);
        return (false, false);
    }

    bool LexInsideAction()
    {
        while (true)
        {
            var (delim, trim) = AtRightDelim();
            if (delim)
            {
                if (parenDepth != 0) return Error("unclosed left paren");
                if (trim) { pos += 2; start = pos; }
                pos += RightDelim.Length;
                Emit(TokenKind.RightDelim);
                if (trim) { SkipSpace(); start = pos; }
                return true;
            }
            if (AtEnd) return Error("unclosed action");
            char c = input[pos];
            if (IsSpace(c))
            {
                // Spaces up to a " -}}" belong to the trim marker, not to the action.
                while (!AtEnd && IsSpace(input[pos]))
                {
                    if (AtRightDelim().trim) break;
                    pos++;
                }
                if (pos > start) Emit(TokenKind.Space);
                continue;
            }
            pos++;
            switch (c)
            {
                case '=': Emit(TokenKind.Assign); break;
                case ':':
                    if (Peek() != '=') return Error("expected :=");
                    pos++; Emit(TokenKind.Declare); break;
                case '|': Emit(TokenKind.Pipe); break;
                case '"': if (!LexQuote()) return false; break;
                case '`': if (!LexRawQuote()) return false; break;
                case '$': if (!LexFieldOrVariable(TokenKind.Variable)) return false; break;
                case '\'': if (!LexChar()) return false; break;
                case '.':
                    if (char.IsAsciiDigit(Peek())) { pos--; if (!LexNumber()) return false; break; }
                    if (!LexFieldOrVariable(TokenKind.Field)) return false;
                    break;
                case '(': parenDepth++; Emit(TokenKind.LeftParen); break;
                case ')':
                    parenDepth--;
                    Emit(TokenKind.RightParen); break;
                default:
                    if (c is '+' or '-' || char.IsAsciiDigit(c)) { pos--; if (!LexNumber()) return false; break; }
                    if (IsAlphaNumeric(c)) { if (!LexIdentifier()) return false; break; }
                    if (c < 0x7f && !char.IsControl(c)) { Emit(TokenKind.Char); break; }
                    return Error($"unrecognized character in action: {GoQuote.Rune(c)}");
            }
        }
    }

    bool AtTerminator()
    {
        if (AtEnd) return true;
        char c = input[pos];
        if (IsSpace(c)) return true;
        if (c is '.' or ',' or '|' or ':' or ')' or '(') return true;
        return string.CompareOrdinal(input, pos, RightDelim, 0, 2) == 0;
    }

    bool LexIdentifier()
    {
        while (!AtEnd && IsAlphaNumeric(input[pos])) pos++;
        if (!AtTerminator()) return Error($"bad character {GoQuote.Rune(input[pos])}");
        var word = input[start..pos];
        var kind = word switch
        {
            "block" => TokenKind.Block, "break" => TokenKind.Break, "continue" => TokenKind.Continue,
            "define" => TokenKind.Define, "else" => TokenKind.Else, "end" => TokenKind.End, "if" => TokenKind.If,
            "range" => TokenKind.Range, "template" => TokenKind.Template, "with" => TokenKind.With,
            "true" or "false" => TokenKind.Bool, "nil" => TokenKind.Nil,
            _ => TokenKind.Identifier,
        };
        if (word[0] == '.') kind = TokenKind.Field;
        Emit(kind);
        return true;
    }

    bool LexFieldOrVariable(TokenKind kind)
    {
        if (AtTerminator())
        {
            Emit(kind == TokenKind.Variable ? TokenKind.Variable : TokenKind.Dot);
            return true;
        }
        while (!AtEnd && IsAlphaNumeric(input[pos])) pos++;
        if (!AtTerminator()) return Error($"bad character {GoQuote.Rune(input[pos])}");
        Emit(kind);
        return true;
    }

    bool LexQuote()
    {
        while (true)
        {
            if (AtEnd || input[pos] == '\n') return Error("unterminated quoted string");
            char c = input[pos++];
            if (c == '\\')
            {
                if (AtEnd || input[pos] == '\n') return Error("unterminated quoted string");
                pos++;
            }
            else if (c == '"') break;
        }
        Emit(TokenKind.String);
        return true;
    }

    bool LexRawQuote()
    {
        int end = input.IndexOf('`', pos);
        if (end < 0) return Error("unterminated raw quoted string");
        pos = end + 1;
        Emit(TokenKind.RawString);
        return true;
    }

    bool LexChar()
    {
        while (true)
        {
            if (AtEnd || input[pos] == '\n') return Error("unterminated character constant");
            char c = input[pos++];
            if (c == '\\')
            {
                if (AtEnd || input[pos] == '\n') return Error("unterminated character constant");
                pos++;
            }
            else if (c == '\'') break;
        }
        Emit(TokenKind.CharConstant);
        return true;
    }

    bool LexNumber()
    {
        if (Peek() is '+' or '-') pos++;
        string digits = "0123456789_";
        if (Peek() == '0')
        {
            char x = char.ToLowerInvariant(Peek(1));
            if (x == 'x') { pos += 2; digits = "0123456789abcdefABCDEF_"; }
            else if (x == 'o') { pos += 2; digits = "01234567_"; }
            else if (x == 'b') { pos += 2; digits = "01_"; }
        }
        while (!AtEnd && digits.Contains(input[pos])) pos++;
        if (Peek() == '.') { pos++; while (!AtEnd && digits.Contains(input[pos])) pos++; }
        if (digits.Length == 11 && Peek() is 'e' or 'E')
        {
            pos++;
            if (Peek() is '+' or '-') pos++;
            while (!AtEnd && "0123456789_".Contains(input[pos])) pos++;
        }
        if (digits.Length == 23 && Peek() is 'p' or 'P')
        {
            pos++;
            if (Peek() is '+' or '-') pos++;
            while (!AtEnd && "0123456789_".Contains(input[pos])) pos++;
        }
        if (Peek() == 'i') pos++;
        if (!AtEnd && IsAlphaNumeric(input[pos]))
        {
            pos++;
            return Error($"bad number syntax: \"{input[start..pos]}\"");
        }
        Emit(TokenKind.Number);
        return true;
    }
}
