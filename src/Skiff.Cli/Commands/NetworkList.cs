using Skiff.Engine.Networking;

namespace Skiff.Cli.Commands;

/// <summary>skiff network ls [-q] [--no-trunc] [--format table|json|TEMPLATE] [-f KEY=VALUE]... (see <see cref="NetworkFilter"/>)</summary>
public static class NetworkList
{
    public static int Run(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, ["-q", "--quiet", "--no-trunc"], ["--format", "-f", "--filter"]);
        using var net = NetworkCommand.Open(ctx);
        var filter = NetworkFilter.Parse(c.Values("-f").Concat(c.Values("--filter")));
        var rows = net.List().Where(filter.Matches).OrderBy(n => n.Name, StringComparer.Ordinal).ToList();
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
}
