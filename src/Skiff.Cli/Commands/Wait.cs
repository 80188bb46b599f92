namespace Skiff.Cli.Commands;

/// <summary>skiff wait CONTAINER...: prints each container's exit code once it stops.</summary>
public static class Wait
{
    public static int Run(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, [], []);
        if (c.Positionals.Count == 0) throw new UsageException("wait requires at least 1 argument");
        int rc = 0;
        foreach (var n in c.Positionals)
        {
            try { ctx.Out.WriteLine(ctx.Engine.Containers.Wait(n)); }
            catch (Engine.EngineException e) { ctx.Err.WriteLine($"Error response from daemon: {e.Message}"); rc = 1; }
        }
        return rc;
    }
}
