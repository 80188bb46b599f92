namespace Skiff.Cli.Commands;

/// <summary>skiff restart [-t SECONDS] CONTAINER...</summary>
public static class Restart
{
    public static int Run(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, [], ["-t", "--time", "--timeout", "-s", "--signal"]);
        int? t = c.Value("-t", "--time", "--timeout") is { } v ? int.Parse(v) : null;
        return ContainerVerbs.ForEach(ctx, c.Positionals, "restart", n => ctx.Engine.Containers.Restart(n, t));
    }
}
