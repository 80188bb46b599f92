using System.Globalization;
using Skiff.Engine.Stats;

namespace Skiff.Cli.Commands;

/// <summary>skiff stats [--no-stream] [--no-trunc] [-a] [--format T] [CONTAINER...] — docker's columns: CONTAINER ID,
/// NAME, CPU %, MEM USAGE / LIMIT, MEM %, NET I/O, BLOCK I/O, PIDS. CPU % compares two readings a second apart.</summary>
public static class StatsCommand
{
    const string Default = "{{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}";

    public static int Run(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, ["--no-stream", "--no-trunc", "-a", "--all"], ["--format"]);
        var names = c.Positionals.Count > 0 ? c.Positionals
            : ctx.Engine.Containers.List().Where(r => c.Has("-a", "--all") || r.State.Running).Select(r => r.Id).ToList();
        var targets = new List<(string Id, string Name, string Cgroup, int Pid)>();
        foreach (var n in names)
        {
            var (rec, cg) = ctx.Engine.Containers.RunningCgroup(n);
            targets.Add((rec.Id, rec.PlainName, cg, rec.State.Pid));
        }
        bool noTrunc = c.Has("--no-trunc");
        var format = c.Value("--format");
        var previous = Sample(targets);
        while (true)
        {
            Thread.Sleep(1000);
            var current = Sample(targets);
            if (!c.Has("--no-stream") && format is null && !Console.IsOutputRedirected) ctx.Out.Write("\u001b[2J\u001b[H");
            ListFormat.Write(ctx, format, Default, current.Select(s => (Func<string, string>)(f => Field(s, previous.FirstOrDefault(p => p.Id == s.Id) ?? s, f, noTrunc))),
                r => Json.Object(w => { foreach (var k in new[] { "BlockIO", "CPUPerc", "Container", "ID", "MemPerc", "MemUsage", "Name", "NetIO", "PIDs" }) w.WriteString(k, r(k)); }),
                h => h switch
                {
                    "ID" => "CONTAINER ID", "Container" => "CONTAINER", "CPUPerc" => "CPU %", "MemUsage" => "MEM USAGE / LIMIT",
                    "MemPerc" => "MEM %", "NetIO" => "NET I/O", "BlockIO" => "BLOCK I/O", "PIDs" => "PIDS", _ => h.ToUpperInvariant(),
                });
            ctx.Out.Flush();
            if (c.Has("--no-stream")) return 0;
            previous = current;
            targets.RemoveAll(t => !Directory.Exists($"/proc/{t.Pid}"));
            if (targets.Count == 0 && c.Positionals.Count > 0) return 0;
        }
    }

    static List<StatsSample> Sample(List<(string Id, string Name, string Cgroup, int Pid)> targets)
    {
        var l = new List<StatsSample>();
        foreach (var t in targets)
        {
            try { l.Add(ContainerStats.Sample(t.Id, t.Name, t.Cgroup, t.Pid)); }
            catch (Exception e) when (e is IOException or Runtime.Cgroups.CgroupException) { }
        }
        return l;
    }

    static string Field(StatsSample s, StatsSample prev, string f, bool noTrunc) => f switch
    {
        "ID" => noTrunc ? s.Id : s.Id[..12],
        "Container" => noTrunc ? s.Id : s.Id[..12],
        "Name" => s.Name,
        "CPUPerc" => StatsSample.CpuPercent(prev, s).ToString("0.00", CultureInfo.InvariantCulture) + "%",
        "MemUsage" => $"{Binary(s.MemoryUsage)} / {Binary(s.MemoryLimit)}",
        "MemPerc" => s.MemoryPercent.ToString("0.00", CultureInfo.InvariantCulture) + "%",
        "NetIO" => $"{Decimal(s.NetRx)} / {Decimal(s.NetTx)}",
        "BlockIO" => $"{Decimal(s.BlockRead)} / {Decimal(s.BlockWrite)}",
        "PIDs" => s.Pids.ToString(CultureInfo.InvariantCulture),
        _ => throw new UsageException($"template: can't evaluate field {f} in type stats"),
    };

    /// <summary>docker's BytesSize (binary units: KiB, MiB, GiB) for memory.</summary>
    internal static string Binary(ulong v) => Units(v, 1024, ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]);

    /// <summary>docker's HumanSize (decimal units: kB, MB, GB) for network and block I/O.</summary>
    internal static string Decimal(ulong v) => Units(v, 1000, ["B", "kB", "MB", "GB", "TB", "PB"]);

    static string Units(ulong v, double k, string[] units)
    {
        double d = v;
        int i = 0;
        while (d >= k && i < units.Length - 1) { d /= k; i++; }
        return d.ToString(i == 0 ? "0" : "0.##", CultureInfo.InvariantCulture) + units[i];
    }
}
