using Skiff.Engine;

namespace Skiff.Cli.Commands;

/// <summary>skiff network rm [-f] NETWORK...: prints each removed name; a failure is reported and the rest still go.</summary>
public static class NetworkRemove
{
    public static int Run(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, ["-f", "--force"], []);
        if (c.Positionals.Count == 0) throw new UsageException("\"network rm\" requires at least 1 argument");
        using var net = NetworkCommand.Open(ctx);
        int rc = 0;
        foreach (var name in c.Positionals)
        {
            try
            {
                net.Remove(name);
                ctx.Out.WriteLine(name);
            }
            catch (EngineException e) when (!(c.Has("-f", "--force") && e.Kind == EngineErrorKind.NotFound))
            {
                ctx.Err.WriteLine($"Error response from daemon: {e.Message}");
                rc = 1;
            }
            catch (EngineException) { }
        }
        return rc;
    }
}
