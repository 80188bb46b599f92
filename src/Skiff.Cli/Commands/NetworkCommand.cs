using Skiff.Engine;
using Skiff.Engine.Networking;

namespace Skiff.Cli.Commands;

/// <summary>`skiff network …` verbs share one NetworkService on the global --root (and SKIFF_RUN_ROOT).</summary>
static class NetworkCommand
{
    public static NetworkService Open(Context ctx) => ctx.Engine.Networks;

    public static Dictionary<string, string> KeyValues(IEnumerable<string> items, string flag)
    {
        var d = new Dictionary<string, string>();
        foreach (var kv in items)
        {
            int eq = kv.IndexOf('=');
            if (eq == 0) throw new UsageException($"invalid {flag} \"{kv}\": expected key=value");
            if (eq < 0) d[kv] = "";
            else d[kv[..eq]] = kv[(eq + 1)..];
        }
        return d;
    }
}

/// <summary>skiff network create [-d bridge] [--subnet CIDR] [--gateway IP] [--internal] [--label k=v] [-o k=v] NAME</summary>
public static class NetworkCreate
{
    public static int Run(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, ["--internal", "--attachable", "--ipv4"],
            ["-d", "--driver", "--subnet", "--gateway", "--label", "-o", "--opt", "--ip-range", "--ipam-driver"]);
        if (c.Positionals.Count != 1) throw new UsageException("\"network create\" requires exactly 1 argument: NAME");
        if (c.Value("--ip-range") is not null) throw new UsageException("--ip-range is not supported");
        if (c.Values("--subnet").Count > 1 || c.Values("--gateway").Count > 1) throw new UsageException("only one --subnet and one --gateway are supported (IPv4)");
        var opts = NetworkCommand.KeyValues(c.Values("-o").Concat(c.Values("--opt")), "--opt");
        using var net = NetworkCommand.Open(ctx);
        var info = net.Create(new NetworkCreateRequest
        {
            Name = c.Positionals[0], Driver = c.Value("-d", "--driver") ?? "bridge", Subnet = c.Value("--subnet"),
            Gateway = c.Value("--gateway"), Internal = c.Has("--internal"),
            Labels = NetworkCommand.KeyValues(c.Values("--label"), "--label"), Options = opts,
        });
        ctx.Out.WriteLine(info.Id);
        return 0;
    }
}
