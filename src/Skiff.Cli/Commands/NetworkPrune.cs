namespace Skiff.Cli.Commands;

/// <summary>skiff network prune [-f]: removes every user-defined network no container is connected to.</summary>
public static class NetworkPrune
{
    public static int Run(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, ["-f", "--force"], ["--filter"]);
        if (c.Values("--filter").Count > 0) throw new UsageException("network prune --filter is not supported");
        if (!c.Has("-f", "--force"))
        {
            ctx.Out.Write("WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue? [y/N] ");
            var answer = Console.In.ReadLine()?.Trim().ToLowerInvariant();
            if (answer is not ("y" or "yes")) return 0;
        }
        using var net = NetworkCommand.Open(ctx);
        var removed = net.Prune();
        if (removed.Count > 0)
        {
            ctx.Out.WriteLine("Deleted Networks:");
            foreach (var n in removed) ctx.Out.WriteLine(n);
        }
        return 0;
    }
}
