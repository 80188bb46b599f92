namespace Skiff.Cli.Commands;

/// <summary>skiff kill [-s SIGNAL] CONTAINER...</summary>
public static class Kill
{
    public static int Run(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, [], ["-s", "--signal"]);
        var sig = c.Value("-s", "--signal");
        return ContainerVerbs.ForEach(ctx, c.Positionals, "kill", n => ctx.Engine.Containers.Kill(n, sig));
    }
}
