namespace Skiff.Cli.Commands;

/// <summary>Verbs that act on each named container in turn and print its name (docker's stop, kill, restart, pause,
/// unpause): an error for one is printed and the others still run; the exit code is 1 if any failed.</summary>
public static class ContainerVerbs
{
    public static int ForEach(Context ctx, IReadOnlyList<string> names, string verb, Action<string> act)
    {
        if (names.Count == 0) throw new UsageException($"{verb} requires at least 1 argument");
        int rc = 0;
        foreach (var n in names)
        {
            try { act(n); ctx.Out.WriteLine(n); }
            catch (Engine.EngineException e)
            {
                ctx.Err.WriteLine($"Error response from daemon: {e.Message}");
                rc = 1;
            }
        }
        return rc;
    }
}
