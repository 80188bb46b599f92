namespace Skiff.Build.Syntax;

/// <summary>How RUN/CMD/ENTRYPOINT/HEALTHCHECK CMD wrote their command: shell form (a string the image's SHELL runs)
/// or exec form (a JSON array run as is). Text that looks like JSON but is not valid falls back to shell form, as in docker.</summary>
public abstract record CommandForm
{
    /// <summary>The argv to execute: exec form as is; shell form appended to <paramref name="shell"/>
    /// (default <c>/bin/sh -c</c>).</summary>
    public abstract IReadOnlyList<string> ToArgv(IReadOnlyList<string> shell);

    /// <summary>What docker puts in the image config: the exec argv, or shell + text.</summary>
    public IReadOnlyList<string> ToConfig(IReadOnlyList<string> shell) => ToArgv(shell);
}

/// <summary>Shell form: the text after the instruction and its flags, continuations joined, not expanded (the shell expands it).</summary>
public sealed record ShellForm(string Command) : CommandForm
{
    public override IReadOnlyList<string> ToArgv(IReadOnlyList<string> shell) => [.. shell, Command];
}

/// <summary>Exec form: the JSON array's strings.</summary>
public sealed record ExecForm(IReadOnlyList<string> Arguments) : CommandForm
{
    public override IReadOnlyList<string> ToArgv(IReadOnlyList<string> shell) => Arguments;
    public bool Equals(ExecForm? other) => other is not null && Arguments.SequenceEqual(other.Arguments);
    public override int GetHashCode() => Arguments.Count;
}
