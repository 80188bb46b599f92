namespace Skiff.Cli.Commands;

/// <summary>skiff container cleanup [--rm] ID (hidden; podman's name): run by a container's shim once the container has
/// exited for good — releases what it holds and, with --rm, removes an --rm container at once (docker's daemon does
/// that; daemonless, the shim calls us back). Prints nothing; a container already gone is no error.</summary>
public static class ContainerCleanup
{
    public static int Run(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, ["--rm"], []);
        if (c.Positionals.Count != 1) throw new UsageException("container cleanup requires exactly 1 argument (a full container ID)");
        ctx.Engine.Containers.Cleanup(c.Positionals[0], remove: c.Has("--rm"));
        return 0;
    }
}
