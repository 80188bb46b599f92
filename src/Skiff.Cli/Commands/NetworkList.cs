using Skiff.Engine.Networking;

namespace Skiff.Cli.Commands;

/// <summary>skiff network ls [-q] [--no-trunc] [--format table|json|TEMPLATE] [-f name=|id=|driver=|label=|type=custom|builtin]</summary>
public static class NetworkList
{
    public static int Run(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, ["-q", "--quiet", "--no-trunc"], ["--format", "-f", "--filter"]);
        using var net = NetworkCommand.Open(ctx);
        var filters = c.Values("-f").Concat(c.Values("--filter")).ToList();
        var rows = net.List().Where(n => filters.All(f => Matches(n, f))).OrderBy(n => n.Name, StringComparer.Ordinal).ToList();
        string Id(NetworkInfo n) => c.Has("--no-trunc") ? n.Id : n.Id[..12];
        if (c.Has("-q", "--quiet"))
        {
            foreach (var n in rows) ctx.Out.WriteLine(Id(n));
            return 0;
        }
        ListFormat.Write(ctx, c.Value("--format"), Templates.TableHeaders.NetworksTable, rows.Select(n => Json.Object(w =>
        {
            w.WriteString("CreatedAt", n.Created);
            w.WriteString("Driver", n.Driver);
            w.WriteString("ID", Id(n));
            w.WriteString("IPv4", n.EnableIPv4 ? "true" : "false");
            w.WriteString("IPv6", "false");
            w.WriteString("Internal", n.Internal ? "true" : "false");
            w.WriteString("Labels", string.Join(',', n.Labels.Select(kv => $"{kv.Key}={kv.Value}")));
            w.WriteString("Name", n.Name);
            w.WriteString("Scope", n.Scope);
        })), Templates.TableHeaders.Networks);
        return 0;
    }

    static bool Matches(NetworkInfo n, string filter)
    {
        int eq = filter.IndexOf('=');
        if (eq <= 0) throw new UsageException($"bad format of filter (expected name=value): {filter}");
        var (key, value) = (filter[..eq], filter[(eq + 1)..]);
        return key switch
        {
            "name" => n.Name.Contains(value, StringComparison.Ordinal),
            "id" => n.Id.StartsWith(value, StringComparison.Ordinal),
            "driver" => n.Driver == value,
            "scope" => n.Scope == value,
            "type" => value switch
            {
                "custom" => n.Name is not ("bridge" or "host" or "none"),
                "builtin" => n.Name is "bridge" or "host" or "none",
                _ => throw new UsageException($"invalid filter: type={value} (custom or builtin)"),
            },
            "label" => value.IndexOf('=') is var i && i > 0
                ? n.Labels.TryGetValue(value[..i], out var v) && v == value[(i + 1)..]
                : n.Labels.ContainsKey(value),
            _ => throw new UsageException($"invalid filter '{key}'"),
        };
    }
}
