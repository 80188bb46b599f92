namespace Skiff.Cli.Commands;

/// <summary>skiff stop [-t SECONDS] [-s SIGNAL] CONTAINER...</summary>
public static class Stop
{
    public static int Run(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, [], ["-t", "--time", "--timeout", "-s", "--signal"]);
        int? t = c.Value("-t", "--time", "--timeout") is { } v ? int.Parse(v) : null;
        return ContainerVerbs.ForEach(ctx, c.Positionals, "stop", n => ctx.Engine.Containers.Stop(n, t));
    }
}
