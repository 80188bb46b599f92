namespace Skiff.Build.Syntax;

/// <summary>One build stage: <c>FROM [--platform=P] base [AS name]</c> and the instructions up to the next FROM.
/// <see cref="BaseName"/> and <see cref="Platform"/> are as written (not expanded: they expand against the global
/// ARGs, see <see cref="Expander"/>); <see cref="Name"/> is lower-cased as docker does.</summary>
public sealed record Stage(
    int Index,
    string? Name,
    string BaseName,
    string? Platform,
    FromInstruction From,
    IReadOnlyList<Instruction> Instructions)
{
    public SourcePosition Position => From.Position;
}
