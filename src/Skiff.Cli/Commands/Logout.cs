using Skiff.Images.Registry;

namespace Skiff.Cli.Commands;

/// <summary>skiff logout REGISTRY</summary>
public static class Logout
{
    public static int Run(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, [], []);
        if (c.Positionals.Count != 1) throw new UsageException("logout needs a registry");
        var removed = DockerConfig.Default().Remove(c.Positionals[0]);
        ctx.Out.WriteLine(removed ? $"Removing login credentials for {c.Positionals[0]}" : $"Not logged in to {c.Positionals[0]}");
        return 0;
    }
}
