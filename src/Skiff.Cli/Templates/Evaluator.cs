using System.Text;

namespace Skiff.Cli.Templates;

/// <summary>What a missing map key gives: Go's default (&lt;no value&gt;), or an error (docker inspect's raw-JSON path
/// runs templates with missingkey=error).</summary>
public enum MissingKey { Default, Error }

/// <summary>
/// Runs a parsed template over a value as Go's text/template exec does: field chains on maps, variables with
/// block scope, if/with/range with else, range over arrays and maps (sorted keys) and ints, break/continue,
/// pipelines passing the previous value as the last argument, short-circuit and/or, Go's truth and Go's errors
/// (<c>template: NAME:LINE:COL: executing "NAME" at &lt;NODE&gt;: MESSAGE</c>).
/// </summary>
internal sealed class Evaluator
{
    /// <summary>A value and whether Go would hold it in an interface{} (a map element, an array element):
    /// only type names in error messages and a JSON null's "nil pointer" error depend on it.</summary>
    readonly record struct Val(TemplateValue V, bool Boxed)
    {
        public static Val Of(TemplateValue v) => new(v, false);
        public string GoType => Boxed ? "interface {}" : V.GoType;
        /// <summary>What evalPipeline does to each result: a value in an interface{} is taken out of it.</summary>
        public Val Unboxed => new(V.Kind == ValueKind.Nil ? TemplateValue.Missing : V, false);
    }

    enum Flow { Normal, Break, Continue }

    readonly string name;
    readonly string text;
    readonly IReadOnlyDictionary<string, FunctionSpec> functions;
    readonly MissingKey missingKey;
    readonly StringBuilder output;
    readonly List<(string name, Val value)> vars = [];
    Node? at;

    public Evaluator(string name, string text, IReadOnlyDictionary<string, FunctionSpec> functions, MissingKey missingKey, StringBuilder output)
    {
        this.name = name;
        this.text = text;
        this.functions = functions;
        this.missingKey = missingKey;
        this.output = output;
    }

    public void Execute(ListNode root, TemplateValue data)
    {
        var dot = Val.Of(data.Kind == ValueKind.Nil ? TemplateValue.Missing : data);
        vars.Add(("$", dot));
        Walk(dot, root);
    }

    TemplateException Error(string message)
    {
        var node = at;
        var (line, col) = TemplateException.Locate(text, node?.Pos ?? 0);
        var context = node?.ToString() ?? "";
        return new TemplateException($"template: {name}:{line}:{col}: executing {GoQuote.Quote(name)} at <{context}>: {message}", line, col);
    }

    // --- statements -------------------------------------------------------------------------------------

    Flow Walk(Val dot, Node node)
    {
        at = node;
        switch (node)
        {
            case ActionNode a:
                {
                    var v = EvalPipeline(dot, a.Pipe);
                    if (a.Pipe.Decl.Count == 0)
                    {
                        at = a;
                        output.Append(v.V.Kind == ValueKind.Missing ? "<no value>" : GoFormat.Sprint(v.V));
                    }
                    return Flow.Normal;
                }
            case BreakNode: return Flow.Break;
            case ContinueNode: return Flow.Continue;
            case CommentNode: return Flow.Normal;
            case TextNode t: output.Append(t.Text); return Flow.Normal;
            case ListNode l:
                foreach (var n in l.Nodes)
                {
                    var flow = Walk(dot, n);
                    if (flow != Flow.Normal) return flow;
                }
                return Flow.Normal;
            case BranchNode { Kind: BranchKind.Range } r: return WalkRange(dot, r);
            case BranchNode b: return WalkIfOrWith(dot, b);
            default: throw Error($"unknown node: {node}");
        }
    }

    Flow WalkIfOrWith(Val dot, BranchNode b)
    {
        int mark = vars.Count;
        try
        {
            var v = EvalPipeline(dot, b.Pipe);
            if (v.V.IsTrue) return Walk(b.Kind == BranchKind.With ? v : dot, b.List);
            if (b.ElseList is not null) return Walk(dot, b.ElseList);
            return Flow.Normal;
        }
        finally { vars.RemoveRange(mark, vars.Count - mark); }
    }

    Flow WalkRange(Val dot, BranchNode r)
    {
        at = r;
        int outer = vars.Count;
        try
        {
            var val = EvalPipeline(dot, r.Pipe).V;
            int mark = vars.Count;
            bool Iterate(Val index, Val elem)
            {
                var decl = r.Pipe.Decl;
                if (decl.Count > 0)
                {
                    if (r.Pipe.IsAssign) SetVar(decl[0].Ident[0], decl.Count > 1 ? index : elem);
                    else vars[^1] = (vars[^1].name, elem);
                }
                if (decl.Count > 1)
                {
                    if (r.Pipe.IsAssign) SetVar(decl[1].Ident[0], elem);
                    else vars[^2] = (vars[^2].name, index);
                }
                try { return Walk(elem, r.List) != Flow.Break; }
                finally { vars.RemoveRange(mark, vars.Count - mark); }
            }
            switch (val.Kind)
            {
                case ValueKind.Array when val.Items.Count > 0:
                    for (int i = 0; i < val.Items.Count; i++)
                        if (!Iterate(Val.Of(TemplateValue.Of((long)i)), new Val(val.Items[i], !val.StringItems))) break;
                    return Flow.Normal;
                case ValueKind.Map when val.Members.Count > 0:
                    foreach (var k in val.SortedKeys)
                    {
                        val.TryGet(k, out var item);
                        if (!Iterate(Val.Of(TemplateValue.Of(k)), new Val(item, true))) break;
                    }
                    return Flow.Normal;
                case ValueKind.Int when val.Int > 0:
                    // Go 1.22: range over an integer counts from 0.
                    if (r.Pipe.Decl.Count > 1) throw Error("can't use " + val.Int + " to iterate over more than one variable");
                    for (long i = 0; i < val.Int; i++)
                        if (!Iterate(Val.Of(TemplateValue.Of(i)), Val.Of(TemplateValue.Of(i)))) break;
                    return Flow.Normal;
                case ValueKind.Array or ValueKind.Map or ValueKind.Missing or ValueKind.Int:
                    break;
                default:
                    throw Error($"range can't iterate over {GoFormat.Sprint(val)}");
            }
            if (r.ElseList is not null) return Walk(dot, r.ElseList);
            return Flow.Normal;
        }
        finally { vars.RemoveRange(outer, vars.Count - outer); }
    }

    void SetVar(string varName, Val value)
    {
        for (int i = vars.Count - 1; i >= 0; i--)
            if (vars[i].name == varName) { vars[i] = (varName, value); return; }
        throw Error($"undefined variable: {varName}");
    }

    Val VarValue(string varName)
    {
        for (int i = vars.Count - 1; i >= 0; i--)
            if (vars[i].name == varName) return vars[i].value;
        throw Error($"undefined variable: {varName}");
    }

    // --- expressions ------------------------------------------------------------------------------------

    Val EvalPipeline(Val dot, PipeNode pipe)
    {
        at = pipe;
        Val? value = null;
        foreach (var cmd in pipe.Commands)
            value = EvalCommand(dot, cmd, value).Unboxed;
        var result = value ?? Val.Of(TemplateValue.Missing);
        foreach (var v in pipe.Decl)
        {
            if (pipe.IsAssign) SetVar(v.Ident[0], result);
            else vars.Add((v.Ident[0], result));
        }
        return result;
    }

    void NotAFunction(List<Node> args, Val? final)
    {
        if (args.Count > 1 || final is not null) throw Error($"can't give argument to non-function {args[0]}");
    }

    Val EvalCommand(Val dot, CommandNode cmd, Val? final)
    {
        var first = cmd.Args[0];
        switch (first)
        {
            case FieldNode f: return EvalFieldNode(dot, f, cmd.Args, final);
            case ChainNode c: return EvalChainNode(dot, c, cmd.Args, final);
            case IdentifierNode id: return EvalFunction(dot, id, cmd, cmd.Args, final);
            case PipeNode p:
                NotAFunction(cmd.Args, final);
                return EvalPipeline(dot, p);
            case VariableNode v: return EvalVariableNode(dot, v, cmd.Args, final);
        }
        at = first;
        NotAFunction(cmd.Args, final);
        switch (first)
        {
            case BoolNode b: return Val.Of(TemplateValue.Of(b.Value));
            case DotNode: return dot;
            case NilNode: throw Error("nil is not a command");
            case NumberNode n: return Val.Of(IdealConstant(n));
            case StringNode s: return Val.Of(TemplateValue.Of(s.Text));
        }
        throw Error($"can't evaluate command {GoQuote.Quote(first.ToString())}");
    }

    TemplateValue IdealConstant(NumberNode n)
    {
        at = n;
        return n.Value;
    }

    Val EvalFieldNode(Val dot, FieldNode field, List<Node>? args, Val? final)
    {
        at = field;
        return EvalFieldChain(dot, field, field.Ident, args, final);
    }

    Val EvalChainNode(Val dot, ChainNode chain, List<Node>? args, Val? final)
    {
        at = chain;
        if (chain.Target is NilNode) throw Error($"indirection through explicit nil in {chain}");
        var receiver = EvalArgUntyped(dot, chain.Target);
        return EvalFieldChain(receiver, chain, chain.Fields, args, final);
    }

    Val EvalVariableNode(Val dot, VariableNode v, List<Node>? args, Val? final)
    {
        at = v;
        var value = VarValue(v.Ident[0]);
        if (v.Ident.Length == 1)
        {
            if (args is not null) NotAFunction(args, final);
            return value;
        }
        return EvalFieldChain(value, v, v.Ident[1..], args, final);
    }

    Val EvalFieldChain(Val receiver, Node node, string[] ident, List<Node>? args, Val? final)
    {
        for (int i = 0; i < ident.Length - 1; i++) receiver = EvalField(ident[i], node, null, null, receiver);
        return EvalField(ident[^1], node, args, final, receiver);
    }

    Val EvalField(string fieldName, Node node, List<Node>? args, Val? final, Val receiver)
    {
        var r = receiver.V;
        if (r.Kind == ValueKind.Missing)
        {
            if (missingKey == MissingKey.Error) throw Error($"nil data; no entry for key {GoQuote.Quote(fieldName)}");
            return Val.Of(TemplateValue.Missing);
        }
        if (r.Kind == ValueKind.Nil) throw Error($"nil pointer evaluating {receiver.GoType}.{fieldName}");
        bool hasArgs = args is not null && args.Count > 1 || final is not null;
        if (r.Kind == ValueKind.Map)
        {
            if (hasArgs) throw Error($"{fieldName} is not a method but has arguments");
            if (r.TryGet(fieldName, out var result)) return new Val(result, true);
            if (missingKey == MissingKey.Error) throw Error($"map has no entry for key {GoQuote.Quote(fieldName)}");
            return Val.Of(TemplateValue.Missing);
        }
        throw Error($"can't evaluate field {fieldName} in type {receiver.GoType}");
    }

    Val EvalFunction(Val dot, IdentifierNode node, Node cmd, List<Node>? args, Val? final)
    {
        at = node;
        if (!functions.TryGetValue(node.Name, out var fn)) throw Error($"{GoQuote.Quote(node.Name)} is not a defined function");
        return EvalCall(dot, fn, cmd, node.Name, args, final);
    }

    Val EvalCall(Val dot, FunctionSpec fn, Node node, string fnName, List<Node>? allArgs, Val? final)
    {
        var args = allArgs is null ? [] : allArgs.Skip(1).ToList();
        int numIn = args.Count + (final is not null ? 1 : 0);
        int declared = fn.Params.Length + (fn.Variadic is not null ? 1 : 0);
        int numFixed = args.Count;
        if (fn.Variadic is not null)
        {
            numFixed = fn.Params.Length;
            if (numIn < numFixed) throw Error($"wrong number of args for {fnName}: want at least {numFixed} got {args.Count}");
        }
        else if (numIn != declared) throw Error($"wrong number of args for {fnName}: want {declared} got {numIn}");

        if (fnName is "and" or "or")
        {
            Val v = default;
            foreach (var arg in args)
            {
                v = EvalArg(dot, ParamKind.Value, arg);
                if (Functions.Indirect(v.V).IsTrue == (fnName == "or")) return v;
            }
            if (final is not null) v = ValidateType(final.Value, ParamKind.Value);
            return v;
        }

        var argv = new List<TemplateValue>(numIn);
        int i = 0;
        for (; i < numFixed && i < args.Count; i++) argv.Add(EvalArg(dot, fn.Params[i], args[i]).V);
        if (fn.Variadic is { } tail)
            for (; i < args.Count; i++) argv.Add(EvalArg(dot, tail, args[i]).V);
        if (final is not null)
        {
            var t = numIn - 1 < fn.Params.Length ? fn.Params[numIn - 1] : fn.Variadic ?? fn.Params[^1];
            argv.Add(ValidateType(final.Value, t).V);
        }
        try
        {
            var result = fn.Call(argv);
            // index hands back an element as Go's reflect does: still inside its interface{}.
            return new Val(result, fnName == "index" && result.Kind != ValueKind.Byte);
        }
        catch (FunctionException e)
        {
            at = node;
            throw Error($"error calling {fnName}: {e.Message}");
        }
    }

    static string TypeName(ParamKind k) => k switch
    {
        ParamKind.String => "string",
        ParamKind.Int => "int",
        ParamKind.Any => "interface {}",
        _ => "reflect.Value",
    };

    Val ValidateType(Val value, ParamKind kind)
    {
        var v = value.V;
        if (v.Kind == ValueKind.Missing)
        {
            if (kind == ParamKind.Any) return Val.Of(TemplateValue.Nil);
            if (kind == ParamKind.Value) return value;
            throw Error($"invalid value; expected {TypeName(kind)}");
        }
        switch (kind)
        {
            case ParamKind.Value:
                return value;
            case ParamKind.Any:
                return value.Unboxed.V.Kind == ValueKind.Missing ? Val.Of(TemplateValue.Nil) : value.Unboxed;
            case ParamKind.String:
                if (v.Kind == ValueKind.String) return Val.Of(v);
                throw Error($"wrong type for value; expected string; got {(v.Kind == ValueKind.Nil ? "interface {}" : v.GoType)}");
            default:
                if (v.Kind == ValueKind.Int) return Val.Of(v);
                throw Error($"wrong type for value; expected int; got {(v.Kind == ValueKind.Nil ? "interface {}" : v.GoType)}");
        }
    }

    /// <summary>evalArg with a nil type: how a chain's target is evaluated.</summary>
    Val EvalArgUntyped(Val dot, Node n)
    {
        at = n;
        return n switch
        {
            DotNode => dot,
            FieldNode f => EvalFieldNode(dot, f, [n], null),
            VariableNode v => EvalVariableNode(dot, v, null, null),
            PipeNode p => EvalPipeline(dot, p),
            IdentifierNode id => EvalFunction(dot, id, id, null, null),
            ChainNode c => EvalChainNode(dot, c, null, null),
            _ => throw Error($"can't handle {n} for arg of type <nil>"),
        };
    }

    Val EvalArg(Val dot, ParamKind kind, Node n)
    {
        at = n;
        switch (n)
        {
            case DotNode: return ValidateType(dot, kind);
            case NilNode:
                if (kind == ParamKind.Any) return Val.Of(TemplateValue.Nil);
                if (kind == ParamKind.Value) return Val.Of(TemplateValue.Missing);
                throw Error($"cannot assign nil to {TypeName(kind)}");
            case FieldNode f: return ValidateType(EvalFieldNode(dot, f, [n], null), kind);
            case VariableNode v: return ValidateType(EvalVariableNode(dot, v, null, null), kind);
            case PipeNode p: return ValidateType(EvalPipeline(dot, p), kind);
            case IdentifierNode id: return ValidateType(EvalFunction(dot, id, id, null, null), kind);
            case ChainNode c: return ValidateType(EvalChainNode(dot, c, null, null), kind);
        }
        switch (kind)
        {
            case ParamKind.String:
                if (n is StringNode s) return Val.Of(TemplateValue.Of(s.Text));
                throw Error($"expected string; found {n}");
            case ParamKind.Int:
                if (n is NumberNode { IsInt: true } num) return Val.Of(TemplateValue.Of(num.IntValue));
                throw Error($"expected integer; found {n}");
            default:
                return n switch
                {
                    BoolNode b => Val.Of(TemplateValue.Of(b.Value)),
                    NumberNode number => Val.Of(IdealConstant(number)),
                    StringNode str => Val.Of(TemplateValue.Of(str.Text)),
                    _ => throw Error($"can't handle assignment of {n} to empty interface argument"),
                };
        }
    }
}
