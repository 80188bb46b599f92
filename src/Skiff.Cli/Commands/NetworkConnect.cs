namespace Skiff.Cli.Commands;

/// <summary>skiff network connect [--alias A]... [--ip X] NETWORK CONTAINER</summary>
public static class NetworkConnect
{
    public static int Run(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, [], ["--alias", "--ip", "--ip6", "--link", "--link-local-ip", "--driver-opt", "--gw-priority"]);
        if (c.Positionals.Count != 2) throw new UsageException("\"network connect\" requires exactly 2 arguments: NETWORK CONTAINER");
        foreach (var unsupported in new[] { "--ip6", "--link", "--link-local-ip", "--driver-opt", "--gw-priority" })
            if (c.Value(unsupported) is not null) throw new UsageException($"{unsupported} is not supported");
        var ip = c.Value("--ip");
        if (ip is not null && !System.Net.IPAddress.TryParse(ip, out _))
            throw new UsageException($"invalid argument \"{ip}\" for \"--ip\" flag: invalid string being converted to IP address: {ip}");
        ctx.Engine.Containers.ConnectNetwork(c.Positionals[1], c.Positionals[0], c.Values("--alias"), ip);
        return 0;
    }
}

/// <summary>skiff network disconnect [-f] NETWORK CONTAINER</summary>
public static class NetworkDisconnect
{
    public static int Run(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, ["-f", "--force"], []);
        if (c.Positionals.Count != 2) throw new UsageException("\"network disconnect\" requires exactly 2 arguments: NETWORK CONTAINER");
        ctx.Engine.Containers.DisconnectNetwork(c.Positionals[1], c.Positionals[0], c.Has("-f", "--force"));
        return 0;
    }
}
