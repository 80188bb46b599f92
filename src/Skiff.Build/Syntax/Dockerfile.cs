namespace Skiff.Build.Syntax;

/// <summary>A parsed Dockerfile: its directives, the ARGs declared before the first FROM (usable in FROM lines), the
/// stages in order, and the warnings docker would print (deprecated MAINTAINER, empty continuation lines, ...).</summary>
public sealed record Dockerfile(
    string FileName,
    ParserDirectives Directives,
    IReadOnlyList<ArgInstruction> GlobalArgs,
    IReadOnlyList<Stage> Stages,
    IReadOnlyList<ParseWarning> Warnings)
{
    /// <summary>The stage called <paramref name="nameOrIndex"/> (names compare case-insensitively, as docker's), or
    /// the stage with that index; null when there is none.</summary>
    public Stage? FindStage(string nameOrIndex)
    {
        foreach (var s in Stages)
            if (s.Name is not null && string.Equals(s.Name, nameOrIndex, StringComparison.OrdinalIgnoreCase)) return s;
        if (int.TryParse(nameOrIndex, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int i)
            && i >= 0 && i < Stages.Count)
            return Stages[i];
        return null;
    }
}

/// <summary>Something docker accepts but warns about.</summary>
public sealed record ParseWarning(SourcePosition Position, string Message)
{
    public override string ToString() => $"{Position}: {Message}";
}
