namespace Skiff.Cli.Templates;

/// <summary>A node of the parsed template (Go's text/template/parse node types). Pos is a char index into the text.</summary>
public abstract record Node(int Pos);

public sealed record ListNode(int Pos, List<Node> Nodes) : Node(Pos)
{
    public override string ToString() => string.Concat(Nodes);
}

public sealed record TextNode(int Pos, string Text) : Node(Pos)
{
    public override string ToString() => GoQuote.Quote(Text);
}

public sealed record CommentNode(int Pos, string Text) : Node(Pos)
{
    public override string ToString() => "{{" + Text + "}}";
}

public sealed record ActionNode(int Pos, PipeNode Pipe) : Node(Pos)
{
    public override string ToString() => "{{" + Pipe + "}}";
}

public sealed record PipeNode(int Pos, bool IsAssign, List<VariableNode> Decl, List<CommandNode> Commands) : Node(Pos)
{
    public override string ToString()
    {
        var s = "";
        if (Decl.Count > 0) s = string.Join(", ", Decl) + (IsAssign ? " = " : " := ");
        return s + string.Join(" | ", Commands);
    }
}

public sealed record CommandNode(int Pos, List<Node> Args) : Node(Pos)
{
    public override string ToString() =>
        string.Join(" ", Args.Select(a => a is PipeNode ? "(" + a + ")" : a.ToString()));
}

public sealed record IdentifierNode(int Pos, string Name) : Node(Pos)
{
    public override string ToString() => Name;
}

/// <summary><c>$x</c> or <c>$x.Field.Chain</c>; Ident[0] is the variable's name.</summary>
public sealed record VariableNode(int Pos, string[] Ident) : Node(Pos)
{
    public override string ToString() => string.Join(".", Ident);
}

public sealed record DotNode(int Pos) : Node(Pos)
{
    public override string ToString() => ".";
}

public sealed record NilNode(int Pos) : Node(Pos)
{
    public override string ToString() => "nil";
}

/// <summary><c>.Field.Chain</c>.</summary>
public sealed record FieldNode(int Pos, string[] Ident) : Node(Pos)
{
    public override string ToString() => "." + string.Join(".", Ident);
}

/// <summary>A term followed by fields: <c>(pipeline).Field</c>.</summary>
public sealed record ChainNode(int Pos, Node Target, string[] Fields) : Node(Pos)
{
    public override string ToString() =>
        (Target is PipeNode ? "(" + Target + ")" : Target.ToString()) + "." + string.Join(".", Fields);
}

public sealed record BoolNode(int Pos, bool Value) : Node(Pos)
{
    public override string ToString() => Value ? "true" : "false";
}

/// <summary>A number constant; Value is what Go's idealConstant makes of it (int or float64).</summary>
public sealed record NumberNode(int Pos, string Text, TemplateValue Value, bool IsInt, long IntValue) : Node(Pos)
{
    public override string ToString() => Text;
}

public sealed record StringNode(int Pos, string Quoted, string Text) : Node(Pos)
{
    public override string ToString() => Quoted;
}

public enum BranchKind { If, Range, With }

/// <summary>if, range and with: a pipeline, the list run when it holds, and an optional else list.</summary>
public sealed record BranchNode(int Pos, BranchKind Kind, PipeNode Pipe, ListNode List, ListNode? ElseList) : Node(Pos)
{
    public override string ToString()
    {
        var name = Kind.ToString().ToLowerInvariant();
        var s = "{{" + name + " " + Pipe + "}}" + List;
        if (ElseList is not null) s += "{{else}}" + ElseList;
        return s + "{{end}}";
    }
}

public sealed record BreakNode(int Pos) : Node(Pos)
{
    public override string ToString() => "{{break}}";
}

public sealed record ContinueNode(int Pos) : Node(Pos)
{
    public override string ToString() => "{{continue}}";
}
