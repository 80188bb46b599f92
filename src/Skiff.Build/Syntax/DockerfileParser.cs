namespace Skiff.Build.Syntax;

/// <summary>Parses Dockerfile text into a <see cref="Dockerfile"/> as docker's BuildKit frontend reads it.
/// Throws <see cref="DockerfileSyntaxException"/> (<c>file:line:col: reason</c>) on the first error.</summary>
public static class DockerfileParser
{
    public static Dockerfile Parse(string text, string fileName = "Dockerfile") =>
        throw new NotImplementedException("parser lands in the next commit");
}
