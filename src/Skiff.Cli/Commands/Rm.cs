namespace Skiff.Cli.Commands;

/// <summary>skiff rm [-f] [-v] CONTAINER...</summary>
public static class Rm
{
    public static int Run(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, ["-f", "--force", "-v", "--volumes", "-l", "--link"], []);
        bool force = c.Has("-f", "--force"), volumes = c.Has("-v", "--volumes");
        if (c.Positionals.Count == 0) throw new UsageException("rm requires at least 1 argument");
        int rc = 0;
        foreach (var n in c.Positionals)
        {
            try { ctx.Engine.Containers.Remove(n, force, volumes); ctx.Out.WriteLine(n); }
            catch (Engine.EngineException e) when (force && e.Kind == Engine.EngineErrorKind.NotFound) { ctx.Out.WriteLine(n); }
            catch (Engine.EngineException e)
            {
                ctx.Err.WriteLine($"Error response from daemon: {e.Message}");
                rc = 1;
            }
        }
        return rc;
    }
}
