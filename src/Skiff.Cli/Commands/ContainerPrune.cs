namespace Skiff.Cli.Commands;

/// <summary>skiff container prune [-f] [--filter until=T|label=k[=v]|label!=k[=v]] — removes stopped containers.</summary>
public static class ContainerPrune
{
    public static int Run(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, ["-f", "--force"], ["--filter"]);
        var preds = new List<Func<Engine.Containers.ContainerRecord, bool>>();
        foreach (var f in c.Values("--filter"))
        {
            int eq = f.IndexOf('=');
            if (eq <= 0) throw new UsageException($"bad format of filter (expected name=value): {f}");
            var (key, value) = (f[..eq], f[(eq + 1)..]);
            switch (key)
            {
                case "until":
                    var until = Logs.Parse(value, "until").ToDateTime();
                    preds.Add(r => DateTimeOffset.TryParse(r.Created, out var t) && t < until);
                    break;
                case "label" or "label!":
                    int veq = value.IndexOf('=');
                    bool negate = key == "label!";
                    preds.Add(r =>
                    {
                        var l = r.Config.Labels;
                        bool has = veq > 0 ? l.TryGetValue(value[..veq], out var lv) && lv == value[(veq + 1)..] : l.ContainsKey(value);
                        return negate ? !has : has;
                    });
                    break;
                default:
                    throw new UsageException($"invalid filter '{key}'");
            }
        }
        if (!c.Has("-f", "--force"))
        {
            ctx.Out.Write("WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] ");
            ctx.Out.Flush();
            if (Console.In.ReadLine()?.Trim() is not ("y" or "Y" or "yes")) return 0;
        }
        var (removed, bytes) = ctx.Engine.Containers.Prune(r => preds.All(p => p(r)));
        if (removed.Count > 0)
        {
            ctx.Out.WriteLine("Deleted Containers:");
            foreach (var id in removed) ctx.Out.WriteLine(id);
            ctx.Out.WriteLine();
        }
        ctx.Out.WriteLine($"Total reclaimed space: {Size.Human(bytes)}");
        return 0;
    }
}
