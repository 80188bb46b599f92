namespace Skiff.Cli.Commands;

/// <summary>skiff unpause CONTAINER...</summary>
public static class Unpause
{
    public static int Run(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, [], []);
        return ContainerVerbs.ForEach(ctx, c.Positionals, "unpause", n => ctx.Engine.Containers.Unpause(n));
    }
}
