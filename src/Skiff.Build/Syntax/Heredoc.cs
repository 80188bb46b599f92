namespace Skiff.Build.Syntax;

/// <summary>A here-document (<c>&lt;&lt;EOF</c> ... <c>EOF</c>). <see cref="Content"/> is the body with its final newline,
/// leading tabs already removed when <see cref="Chomp"/> (<c>&lt;&lt;-EOF</c>). <see cref="Expand"/> is false when the
/// delimiter was quoted (<c>&lt;&lt;"EOF"</c> or <c>&lt;&lt;'EOF'</c>): the body is then taken literally.</summary>
public sealed record Heredoc(string Name, string Content, bool Expand, bool Chomp, SourcePosition Position);
