namespace Skiff.Cli.Commands;

/// <summary>skiff pause CONTAINER... / skiff unpause CONTAINER...</summary>
public static class Pause
{
    public static int Run(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, [], []);
        return ContainerVerbs.ForEach(ctx, c.Positionals, "pause", n => ctx.Engine.Containers.Pause(n));
    }
}
