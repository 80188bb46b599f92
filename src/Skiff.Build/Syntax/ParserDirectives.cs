namespace Skiff.Build.Syntax;

/// <summary>The <c># name=value</c> comments at the very top of a Dockerfile (docker reads them only before the first
/// other line). <see cref="Escape"/> is <c>\</c> unless <c># escape=`</c> said otherwise.</summary>
public sealed record ParserDirectives(string? Syntax, char Escape, string? Check, IReadOnlyList<ParserDirective> All)
{
    public static readonly ParserDirectives Default = new(null, '\\', null, []);
}

/// <summary>One directive as written: name lower-cased, value trimmed.</summary>
public sealed record ParserDirective(string Name, string Value, SourcePosition Position);
