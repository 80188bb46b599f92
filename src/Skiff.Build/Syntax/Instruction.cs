namespace Skiff.Build.Syntax;

/// <summary>One instruction. <see cref="Keyword"/> is upper-case; <see cref="Original"/> is the logical line as
/// written (continuations joined, comments inside them dropped, heredoc bodies not included) — what docker shows
/// in errors; <see cref="Position"/> is where the keyword starts and <see cref="EndLine"/> the last line it uses
/// (heredoc bodies included). <see cref="Flags"/> are the <c>--name=value</c> flags as written, already checked and
/// also parsed into the typed properties of each kind.</summary>
public abstract record Instruction
{
    public SourcePosition Position { get; init; }
    public int EndLine { get; init; }
    public string Original { get; init; } = "";
    public IReadOnlyList<InstructionFlag> Flags { get; init; } = [];
    public abstract string Keyword { get; }
}

/// <summary>A flag as written before the arguments: <c>--name=value</c>, or <c>--name</c> alone (Value null).</summary>
public sealed record InstructionFlag(string Name, string? Value, SourcePosition Position);

/// <summary>A <c>key=value</c> pair of ENV or LABEL. Both sides are raw words (quotes and escapes kept): run them through
/// <see cref="Expander.ProcessWord"/> to get the final text.</summary>
public sealed record KeyValue(string Key, string Value);

/// <summary>One name of an ARG, with its default (raw word) when written <c>name=default</c>.</summary>
public sealed record ArgDeclaration(string Name, string? Default);
