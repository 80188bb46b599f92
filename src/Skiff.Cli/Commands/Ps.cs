using Skiff.Engine.Containers;

namespace Skiff.Cli.Commands;

/// <summary>skiff ps [-a] [-q] [--no-trunc] [-n N] [-l] [--filter k=v]... [--format json|TEMPLATE]: docker's columns
/// (CONTAINER ID, IMAGE, COMMAND, CREATED, STATUS, PORTS, NAMES) and filters (status, name, label, id, ancestor,
/// exited).</summary>
public static class Ps
{
    public static int Run(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, ["-a", "--all", "-q", "--quiet", "--no-trunc", "-l", "--latest", "-s", "--size"],
            ["-f", "--filter", "--format", "-n", "--last"]);
        bool all = c.Has("-a", "--all");
        int last = c.Value("-n", "--last") is { } n ? int.Parse(n) : c.Has("-l", "--latest") ? 1 : -1;
        if (last > 0) all = true;
        var filters = c.Values("-f").Concat(c.Values("--filter")).Select(f =>
        {
            var i = f.IndexOf('=');
            if (i <= 0) throw new UsageException($"bad format of filter (expected name=value): {f}");
            return (Key: f[..i], Value: f[(i + 1)..]);
        }).ToList();
        var list = ctx.Engine.Containers.List();
        if (last > 0) list = list.Take(last).ToList();
        bool statusFilter = filters.Any(f => f.Key is "status" or "exited");
        var rows = list.Where(r => (all || statusFilter || r.State.Running) && Matches(ctx, r, filters))
            .Select(r => new ContainerSummary(r, c.Has("--no-trunc"))).ToList();
        if (c.Has("-q", "--quiet")) { foreach (var r in rows) ctx.Out.WriteLine(r.ID); return 0; }
        ListFormat.Write(ctx, c.Value("--format"), Templates.TableHeaders.ContainersTable,
            rows.Select(r => Json.Object(w => { foreach (var f in ContainerSummary.FieldNames) w.WriteString(f, r.Field(f)); })),
            Templates.TableHeaders.Containers);
        return 0;
    }

    static bool Matches(Context ctx, ContainerRecord r, List<(string Key, string Value)> filters)
    {
        foreach (var g in filters.GroupBy(f => f.Key))
        {
            bool any = g.Any(f => f.Key switch
            {
                "status" => f.Value is "created" or "restarting" or "running" or "removing" or "paused" or "exited" or "dead"
                    ? r.State.Status == f.Value
                    : throw new UsageException($"invalid filter 'status={f.Value}'"),
                "name" => r.PlainName.Contains(f.Value.TrimStart('/'), StringComparison.Ordinal),
                "id" => r.Id.StartsWith(f.Value, StringComparison.Ordinal),
                "label" => f.Value.IndexOf('=') is var i and >= 0
                    ? r.Config.Labels.TryGetValue(f.Value[..i], out var v) && v == f.Value[(i + 1)..]
                    : r.Config.Labels.ContainsKey(f.Value),
                "exited" => r.State.Status == "exited" && r.State.ExitCode.ToString() == f.Value,
                "ancestor" => r.Config.Image == f.Value || ctx.Images.TryResolve(f.Value) is { } img && img.Id.ToString() == r.Image,
                "network" => r.NetworkSettings.Networks.ContainsKey(f.Value) || r.HostConfig.NetworkMode == f.Value,
                "volume" => r.Mounts.Any(m => m.Name == f.Value || m.Destination == f.Value),
                _ => throw new UsageException($"invalid filter '{f.Key}'"),
            });
            if (!any) return false;
        }
        return true;
    }
}
