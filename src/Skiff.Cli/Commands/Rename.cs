namespace Skiff.Cli.Commands;

/// <summary>skiff rename CONTAINER NEW_NAME</summary>
public static class Rename
{
    public static int Run(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, [], []);
        if (c.Positionals.Count != 2) throw new UsageException("rename requires exactly 2 arguments");
        ctx.Engine.Containers.Rename(c.Positionals[0], c.Positionals[1]);
        return 0;
    }
}
