namespace Skiff.Cli.Templates;

/// <summary>
/// Builds the node tree from tokens as Go's text/template/parse does, with its checks: functions must exist,
/// variables must be declared (scoped to the enclosing if/range/with), break/continue only inside range.
/// </summary>
public sealed class Parser
{
    readonly string name;
    readonly string text;
    readonly List<Token> tokens;
    readonly Func<string, bool> hasFunction;
    readonly List<string> vars = ["$"];
    int next;
    int rangeDepth;
    int actionStart = -1;
    Token current;

    Parser(string name, string text, Func<string, bool> hasFunction)
    {
        this.name = name;
        this.text = text;
        this.hasFunction = hasFunction;
        tokens = Lexer.Lex(text);
    }

    public static ListNode Parse(string name, string text, Func<string, bool> hasFunction) =>
        new Parser(name, text, hasFunction).ParseRoot();

    // --- token stream -----------------------------------------------------------------------------------

    Token Next() { current = tokens[Math.Min(next, tokens.Count - 1)]; next++; return current; }
    Token Peek() => tokens[Math.Min(next, tokens.Count - 1)];
    void Backup(int n = 1) => next -= n;

    Token NextNonSpace()
    {
        Token t;
        do t = Next(); while (t.Kind == TokenKind.Space);
        return t;
    }

    Token PeekNonSpace()
    {
        var t = NextNonSpace();
        Backup();
        return t;
    }

    TemplateException Error(string message)
    {
        var (line, _) = TemplateException.Locate(text, current.Pos);
        return new TemplateException($"template: {name}:{line}: {message}", line, -1);
    }

    TemplateException Unexpected(Token t, string context)
    {
        if (t.Kind == TokenKind.Error)
        {
            var extra = "";
            if (actionStart >= 0)
            {
                var startLine = TemplateException.Locate(text, actionStart).line;
                if (startLine != TemplateException.Locate(text, t.Pos).line)
                    extra = t.Value.EndsWith(" action", StringComparison.Ordinal)
                        ? $" started at {name}:{startLine}" : $" in action started at {name}:{startLine}";
            }
            return Error(t.Value + extra);
        }
        return Error($"unexpected {Describe(t)} in {context}");
    }

    static string Describe(Token t) => t.Kind switch
    {
        TokenKind.Eof => "EOF",
        TokenKind.Error => t.Value,
        >= TokenKind.Block or TokenKind.Dot or TokenKind.Nil => $"<{t.Value}>",
        _ when t.Value.Length > 10 => GoQuote.Quote(t.Value[..10]) + "...",
        _ => GoQuote.Quote(t.Value),
    };

    Token Expect(TokenKind kind, string context)
    {
        var t = NextNonSpace();
        if (t.Kind != kind) throw Unexpected(t, context);
        return t;
    }

    // --- structure --------------------------------------------------------------------------------------

    sealed record EndMarker(int Pos) : Node(Pos) { public override string ToString() => "{{end}}"; }
    sealed record ElseMarker(int Pos, bool BeforeIf, bool BeforeWith) : Node(Pos) { public override string ToString() => "{{else}}"; }

    ListNode ParseRoot()
    {
        var root = new ListNode(0, []);
        while (Peek().Kind != TokenKind.Eof)
        {
            if (Peek().Kind == TokenKind.Error) throw Unexpected(Next(), "input");
            var n = TextOrAction();
            if (n is EndMarker or ElseMarker) throw Error($"unexpected {n}");
            root.Nodes.Add(n);
        }
        return root;
    }

    (ListNode list, Node next) ItemList()
    {
        var list = new ListNode(PeekNonSpace().Pos, []);
        while (PeekNonSpace().Kind != TokenKind.Eof)
        {
            var n = TextOrAction();
            if (n is EndMarker or ElseMarker) return (list, n);
            list.Nodes.Add(n);
        }
        NextNonSpace();
        throw Error("unexpected EOF");
    }

    Node TextOrAction()
    {
        var t = NextNonSpace();
        switch (t.Kind)
        {
            case TokenKind.Text: return new TextNode(t.Pos, t.Value);
            case TokenKind.Comment: return new CommentNode(t.Pos, t.Value);
            case TokenKind.LeftDelim:
                actionStart = t.Pos;
                try { return Action(); }
                finally { actionStart = -1; }
            default: throw Unexpected(t, "input");
        }
    }

    Node Action()
    {
        var t = NextNonSpace();
        switch (t.Kind)
        {
            case TokenKind.Break:
            case TokenKind.Continue:
                {
                    var word = t.Kind == TokenKind.Break ? "break" : "continue";
                    var after = NextNonSpace();
                    if (after.Kind != TokenKind.RightDelim) throw Unexpected(after, "{{" + word + "}}");
                    if (rangeDepth == 0) throw Error("{{" + word + "}} outside {{range}}");
                    return t.Kind == TokenKind.Break ? new BreakNode(t.Pos) : new ContinueNode(t.Pos);
                }
            case TokenKind.Else:
                {
                    var peek = PeekNonSpace();
                    if (peek.Kind == TokenKind.If) return new ElseMarker(peek.Pos, true, false);
                    if (peek.Kind == TokenKind.With) return new ElseMarker(peek.Pos, false, true);
                    var d = Expect(TokenKind.RightDelim, "else");
                    return new ElseMarker(d.Pos, false, false);
                }
            case TokenKind.End:
                return new EndMarker(Expect(TokenKind.RightDelim, "end").Pos);
            case TokenKind.If: return Control(BranchKind.If);
            case TokenKind.Range: return Control(BranchKind.Range);
            case TokenKind.With: return Control(BranchKind.With);
            case TokenKind.Template:
            case TokenKind.Define:
            case TokenKind.Block:
                throw Error($"{{{{{t.Value}}}}} is not supported (named templates)");
        }
        Backup();
        var start = Peek();
        return new ActionNode(start.Pos, Pipeline("command", TokenKind.RightDelim));
    }

    BranchNode Control(BranchKind kind)
    {
        var context = kind.ToString().ToLowerInvariant();
        int saved = vars.Count;
        try
        {
            var pipe = Pipeline(context, TokenKind.RightDelim);
            if (kind == BranchKind.Range) rangeDepth++;
            var (list, after) = ItemList();
            if (kind == BranchKind.Range) rangeDepth--;
            ListNode? elseList = null;
            if (after is ElseMarker e)
            {
                if (kind == BranchKind.If && e.BeforeIf || kind == BranchKind.With && e.BeforeWith)
                {
                    // {{else if ...}} is {{else}}{{if ...}} sharing the one {{end}}.
                    NextNonSpace();
                    elseList = new ListNode(e.Pos, [Control(kind)]);
                }
                else
                {
                    if (e.BeforeIf || e.BeforeWith) throw Error($"unexpected <{(e.BeforeIf ? "if" : "with")}> in input");
                    Node end;
                    (elseList, end) = ItemList();
                    if (end is not EndMarker) throw Error($"expected end; found {end}");
                }
            }
            return new BranchNode(pipe.Pos, kind, pipe, list, elseList);
        }
        finally
        {
            vars.RemoveRange(saved, vars.Count - saved);
        }
    }

    PipeNode Pipeline(string context, TokenKind end)
    {
        var pipe = new PipeNode(PeekNonSpace().Pos, false, [], []);
        bool isAssign = false;
    decls:
        var v = PeekNonSpace();
        if (v.Kind == TokenKind.Variable)
        {
            int mark = next;
            NextNonSpace();
            var afterVar = Peek();
            var n = PeekNonSpace();
            if (n.Kind is TokenKind.Assign or TokenKind.Declare)
            {
                isAssign = n.Kind == TokenKind.Assign;
                NextNonSpace();
                pipe.Decl.Add(new VariableNode(v.Pos, [v.Value]));
                vars.Add(v.Value);
            }
            else if (n.Kind == TokenKind.Char && n.Value == ",")
            {
                NextNonSpace();
                pipe.Decl.Add(new VariableNode(v.Pos, [v.Value]));
                vars.Add(v.Value);
                if (context == "range" && pipe.Decl.Count < 2)
                {
                    var p = PeekNonSpace();
                    if (p.Kind is TokenKind.Variable or TokenKind.RightDelim or TokenKind.RightParen) goto decls;
                    throw Error("range can only initialize variables");
                }
                throw Error($"too many declarations in {context}");
            }
            else
            {
                _ = afterVar;
                next = mark;
            }
        }
        pipe = pipe with { IsAssign = isAssign };
        while (true)
        {
            var t = NextNonSpace();
            if (t.Kind == end)
            {
                if (pipe.Commands.Count == 0) throw Error($"missing value for {context}");
                for (int i = 1; i < pipe.Commands.Count; i++)
                    if (pipe.Commands[i].Args[0] is BoolNode or DotNode or NilNode or NumberNode or StringNode)
                        throw Error($"non executable command in pipeline stage {i + 1}");
                return pipe;
            }
            switch (t.Kind)
            {
                case TokenKind.Bool: case TokenKind.CharConstant: case TokenKind.Dot: case TokenKind.Field:
                case TokenKind.Identifier: case TokenKind.Number: case TokenKind.Nil: case TokenKind.RawString:
                case TokenKind.String: case TokenKind.Variable: case TokenKind.LeftParen:
                    Backup();
                    pipe.Commands.Add(Command());
                    break;
                default:
                    throw Unexpected(t, context);
            }
        }
    }

    CommandNode Command()
    {
        var cmd = new CommandNode(PeekNonSpace().Pos, []);
        while (true)
        {
            PeekNonSpace();
            var operand = Operand();
            if (operand is not null) cmd.Args.Add(operand);
            var t = Next();
            if (t.Kind == TokenKind.Space) continue;
            if (t.Kind is TokenKind.RightDelim or TokenKind.RightParen) Backup();
            else if (t.Kind != TokenKind.Pipe) throw Unexpected(t, "operand");
            break;
        }
        if (cmd.Args.Count == 0) throw Error("empty command");
        return cmd;
    }

    Node? Operand()
    {
        var node = Term();
        if (node is null) return null;
        if (Peek().Kind == TokenKind.Field)
        {
            int chainPos = Peek().Pos;
            var fields = new List<string>();
            while (Peek().Kind == TokenKind.Field) fields.Add(Next().Value[1..]);
            switch (node)
            {
                case FieldNode f: node = new FieldNode(chainPos, [.. f.Ident, .. fields]); break;
                case VariableNode v: node = new VariableNode(chainPos, [.. v.Ident, .. fields]); break;
                case BoolNode or StringNode or NumberNode or NilNode or DotNode:
                    throw Error($"unexpected . after term {GoQuote.Quote(node.ToString())}");
                default: node = new ChainNode(chainPos, node, [.. fields]); break;
            }
        }
        return node;
    }

    Node? Term()
    {
        var t = NextNonSpace();
        switch (t.Kind)
        {
            case TokenKind.Identifier:
                if (!hasFunction(t.Value)) throw Error($"function {GoQuote.Quote(t.Value)} not defined");
                return new IdentifierNode(t.Pos, t.Value);
            case TokenKind.Dot: return new DotNode(t.Pos);
            case TokenKind.Nil: return new NilNode(t.Pos);
            case TokenKind.Variable:
                {
                    var ident = t.Value.Split('.');
                    if (!vars.Contains(ident[0])) throw Error($"undefined variable {GoQuote.Quote(ident[0])}");
                    return new VariableNode(t.Pos, ident);
                }
            case TokenKind.Field: return new FieldNode(t.Pos, [t.Value[1..]]);
            case TokenKind.Bool: return new BoolNode(t.Pos, t.Value == "true");
            case TokenKind.Number:
            case TokenKind.CharConstant:
                return GoNumber.Parse(t, out var error) ?? throw Error(error!);
            case TokenKind.LeftParen:
                return Pipeline("parenthesized pipeline", TokenKind.RightParen);
            case TokenKind.String:
            case TokenKind.RawString:
                {
                    if (!GoQuote.TryUnquote(t.Value, out var s)) throw Error("invalid syntax");
                    return new StringNode(t.Pos, t.Value, s);
                }
        }
        Backup();
        return null;
    }
}
