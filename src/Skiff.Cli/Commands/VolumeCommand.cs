using System.Text.Json;
using Skiff.Engine.Volumes;

namespace Skiff.Cli.Commands;

/// <summary>skiff volume create|ls|inspect|rm|prune — docker's flags and output.</summary>
public static class VolumeCommand
{
    public static int Run(Context ctx, string sub, List<string> args) => sub switch
    {
        "create" => Create(ctx, args),
        "ls" or "list" => List(ctx, args),
        "inspect" => Inspect(ctx, args),
        "rm" or "remove" => Remove(ctx, args),
        "prune" => Prune(ctx, args),
        _ => throw new UsageException($"unknown command \"volume {sub}\" (create, ls, inspect, rm, prune)"),
    };

    static Dictionary<string, string> KeyValues(IEnumerable<string> items, string flag)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var i in items)
        {
            int eq = i.IndexOf('=');
            if (flag == "--opt" && eq <= 0) throw new UsageException($"invalid argument \"{i}\" for \"--opt\" flag: option must be KEY=VALUE");
            if (eq < 0) d[i] = ""; else d[i[..eq]] = i[(eq + 1)..];
        }
        return d;
    }

    static int Create(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, [], ["-d", "--driver", "--label", "-o", "--opt", "--name"]);
        var name = c.Value("--name") ?? (c.Positionals.Count > 0 ? c.Positionals[0] : null);
        if (c.Positionals.Count > 1) throw new UsageException("volume create takes at most 1 argument");
        var opts = KeyValues(c.Values("-o").Concat(c.Values("--opt")), "--opt");
        var vol = Guard(() => ctx.Engine.Volumes.Create(name, c.Value("-d", "--driver"), KeyValues(c.Values("--label"), "--label"), opts));
        ctx.Engine.Events.Append("volume", "create", vol.Name, new Dictionary<string, string> { ["driver"] = vol.Driver });
        ctx.Out.WriteLine(vol.Name);
        return 0;
    }

    static int List(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, ["-q", "--quiet"], ["-f", "--filter", "--format"]);
        var filters = c.Values("-f").Concat(c.Values("--filter")).ToList();
        var store = ctx.Engine.Volumes;
        var vols = store.List().Where(v => Matches(store, v, filters)).ToList();
        if (c.Has("-q", "--quiet")) { foreach (var v in vols) ctx.Out.WriteLine(v.Name); return 0; }
        ListFormat.Write(ctx, c.Value("--format"), "{{.Driver}}\t{{.Name}}", vols.Select(v => (Func<string, string>)(f => Field(store, v, f))),
            r => Json.Object(w => { foreach (var k in new[] { "Driver", "Labels", "Links", "Mountpoint", "Name", "Scope", "Size" }) w.WriteString(k, r(k)); }),
            h => h switch { "Name" => "VOLUME NAME", _ => h.ToUpperInvariant() });
        return 0;
    }

    static string Field(VolumeStore store, Volume v, string f) => f switch
    {
        "Name" => v.Name, "Driver" => v.Driver, "Scope" => v.Scope, "Mountpoint" => v.Mountpoint,
        "Labels" => string.Join(",", v.Labels.Select(kv => $"{kv.Key}={kv.Value}")),
        "Links" => store.Usage.ContainersUsing(v.Name).Count.ToString(),
        "Size" => Size.Human(store.Size(v.Name)),
        "CreatedAt" => v.CreatedAt,
        _ => throw new UsageException($"template: can't evaluate field {f} in type volume"),
    };

    /// <summary>docker's volume filters: dangling (no container references it), name (substring), label (key or
    /// key=value), driver. Same key: any value; different keys: all.</summary>
    static bool Matches(VolumeStore store, Volume v, List<string> filters)
    {
        foreach (var g in filters.Select(Split).GroupBy(f => f.Key))
        {
            bool any = g.Any(f => f.Key switch
            {
                "dangling" => f.Value is "true" or "1" ? store.Usage.ContainersUsing(v.Name).Count == 0
                    : f.Value is "false" or "0" ? store.Usage.ContainersUsing(v.Name).Count > 0
                    : throw new UsageException($"invalid filter 'dangling={f.Value}'"),
                "name" => v.Name.Contains(f.Value, StringComparison.Ordinal),
                "driver" => v.Driver == f.Value,
                "label" => f.Value.IndexOf('=') is int eq and > 0 ? v.Labels.TryGetValue(f.Value[..eq], out var lv) && lv == f.Value[(eq + 1)..] : v.Labels.ContainsKey(f.Value),
                _ => throw new UsageException($"invalid filter '{f.Key}'"),
            });
            if (!any) return false;
        }
        return true;
    }

    static (string Key, string Value) Split(string f)
    {
        int eq = f.IndexOf('=');
        if (eq <= 0) throw new UsageException($"bad format of filter (expected name=value): {f}");
        return (f[..eq], f[(eq + 1)..]);
    }

    static int Inspect(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, [], ["-f", "--format"]);
        if (c.Positionals.Count == 0) throw new UsageException("volume inspect requires at least 1 argument");
        var found = new List<Volume>();
        int rc = 0;
        foreach (var n in c.Positionals)
        {
            var v = ctx.Engine.Volumes.TryGet(n);
            if (v is null) { ctx.Err.WriteLine($"Error: No such volume: {n}"); rc = 1; continue; }
            found.Add(v);
        }
        var format = c.Value("-f", "--format");
        if (format is not null)
            foreach (var v in found) ctx.Out.WriteLine(InspectFormat.Render(format, JsonSerializer.SerializeToUtf8Bytes(v, VolumeJson.Default.Volume)));
        else if (found.Count > 0 || rc == 0)
            ctx.Out.WriteLine(JsonSerializer.Serialize(found, VolumeJson.Default.ListVolume));
        return rc;
    }

    static int Remove(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, ["-f", "--force"], []);
        if (c.Positionals.Count == 0) throw new UsageException("volume rm requires at least 1 argument");
        int rc = 0;
        foreach (var n in c.Positionals)
        {
            try
            {
                ctx.Engine.Volumes.Remove(n, c.Has("-f", "--force"));
                ctx.Engine.Events.Append("volume", "destroy", n);
                ctx.Out.WriteLine(n);
            }
            catch (VolumeException e)
            {
                ctx.Err.WriteLine($"Error response from daemon: {e.Message}");
                rc = 1;
            }
        }
        return rc;
    }

    static int Prune(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, ["-f", "--force", "-a", "--all"], ["--filter"]);
        bool all = c.Has("-a", "--all");
        if (!c.Has("-f", "--force"))
        {
            ctx.Out.Write(all ? "WARNING! This will remove all local volumes not used by at least one container.\n"
                : "WARNING! This will remove anonymous local volumes not used by at least one container.\n");
            ctx.Out.Write("Are you sure you want to continue? [y/N] ");
            ctx.Out.Flush();
            var answer = Console.In.ReadLine()?.Trim();
            if (answer is not ("y" or "Y" or "yes")) return 0;
        }
        var filters = c.Values("--filter").ToList();
        foreach (var f in filters) if (!f.StartsWith("label", StringComparison.Ordinal)) throw new UsageException($"invalid filter '{Split(f).Key}'");
        var store = ctx.Engine.Volumes;
        var (removed, bytes) = Guard(() => store.Prune(all, v => filters.All(f => LabelFilter(v, f))));
        foreach (var n in removed) ctx.Engine.Events.Append("volume", "destroy", n);
        if (removed.Count > 0)
        {
            ctx.Out.WriteLine("Deleted Volumes:");
            foreach (var n in removed) ctx.Out.WriteLine(n);
            ctx.Out.WriteLine();
        }
        ctx.Out.WriteLine($"Total reclaimed space: {Size.Human(bytes)}");
        return 0;
    }

    /// <summary>label=k, label=k=v, and label!=… (docker's negation).</summary>
    static bool LabelFilter(Volume v, string f)
    {
        var (key, value) = Split(f);
        bool negate = key == "label!";
        int eq = value.IndexOf('=');
        bool has = eq > 0 ? v.Labels.TryGetValue(value[..eq], out var lv) && lv == value[(eq + 1)..] : v.Labels.ContainsKey(value);
        return negate ? !has : has;
    }

    static T Guard<T>(Func<T> f)
    {
        try { return f(); }
        catch (VolumeException e) { throw new Engine.EngineException(Engine.EngineErrorKind.InvalidArgument, e.Message); }
    }
}
