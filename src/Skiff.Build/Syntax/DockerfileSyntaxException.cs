namespace Skiff.Build.Syntax;

/// <summary>A Dockerfile that cannot be parsed or a build plan that cannot run. The message reads
/// <c>file:line:col: reason</c>; <see cref="Reason"/> is the part after the position.</summary>
public sealed class DockerfileSyntaxException(SourcePosition position, string reason)
    : Exception($"{position}: {reason}")
{
    public SourcePosition Position { get; } = position;
    public string Reason { get; } = reason;
}
