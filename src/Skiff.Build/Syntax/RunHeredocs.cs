namespace Skiff.Build.Syntax;

/// <summary>What a RUN with heredocs executes, as docker does it: a RUN that is only one heredoc runs its body with the
/// shell, or, when the body starts with <c>#!</c>, writes it as an executable file <see cref="ScriptPath"/> (a read-only
/// mount of <see cref="ScriptDirectory"/>) and runs that; any other form is handed to the shell whole, bodies and
/// terminators appended, so the shell does the heredocs. Bodies are not expanded by the builder (the shell does).</summary>
public sealed record RunHeredocPlan(CommandForm Command, Heredoc? ScriptFile)
{
    public const string ScriptDirectory = "/dev/pipes/";

    public string? ScriptPath => ScriptFile is null ? null : ScriptDirectory + ScriptFile.Name;
}

public static class RunHeredocs
{
    public static RunHeredocPlan Plan(this RunInstruction run)
    {
        if (run.Heredocs.Count == 0 || run.Command is not ShellForm shell) return new RunHeredocPlan(run.Command, null);
        string text = shell.Command.Trim();
        if (run.Heredocs.Count == 1 && HeredocWord.TryParse(text, out _, out _, out _))
        {
            var doc = run.Heredocs[0];
            return doc.Content.StartsWith("#!", StringComparison.Ordinal)
                ? new RunHeredocPlan(new ShellForm(RunHeredocPlan.ScriptDirectory + doc.Name), doc)
                : new RunHeredocPlan(new ShellForm(doc.Content), null);
        }
        var b = new System.Text.StringBuilder(shell.Command);
        foreach (var doc in run.Heredocs) b.Append('\n').Append(doc.Content).Append(doc.Name);
        return new RunHeredocPlan(new ShellForm(b.ToString()), null);
    }
}
