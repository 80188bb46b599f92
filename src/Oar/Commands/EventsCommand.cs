using System.Text;
using System.Text.Json;
using Oar.Cli;
using Skiff.Runtime.Cgroups;
using Skiff.Runtime.Container;

namespace Oar.Commands;

/// <summary>`events`: `--stats` prints one stats event; otherwise a stream of stats every --interval (default 5s)
/// plus an "oom" event whenever the OOM killer strikes, until the container stops (JSON like runc's).</summary>
public static class EventsCommand
{
    public static int Run(Context ctx, string[] argv, int start)
    {
        var a = Args.Parse(argv, start, ["interval"], ["stats"], "events");
        if (a.Positional.Count != 1) throw new UsageException("events: expects exactly one container id");
        var id = a.Positional[0];
        var record = ctx.Store.Load(id);
        var cgroup = Pause.Manager(record);
        if (a.Has("stats")) { Write("stats", id, cgroup.Stats()); return 0; }
        var interval = Duration(a.Value("interval") ?? "5s");
        ulong ooms = cgroup.Stats().Memory.OomKill;
        var next = DateTime.UtcNow;
        while (ContainerStatus.Of(record, ctx.Store) != Status.Stopped)
        {
            var stats = cgroup.Stats();
            if (stats.Memory.OomKill > ooms) { ooms = stats.Memory.OomKill; Write("oom", id, null); }
            if (DateTime.UtcNow >= next) { Write("stats", id, stats); next = DateTime.UtcNow + interval; }
            Thread.Sleep(TimeSpan.FromMilliseconds(Math.Min(200, interval.TotalMilliseconds)));
        }
        var final = cgroup.Stats();
        if (final.Memory.OomKill > ooms) Write("oom", id, null);
        return 0;
    }

    static TimeSpan Duration(string s)
    {
        double n;
        if (s.EndsWith("ms") && double.TryParse(s[..^2], out n)) return TimeSpan.FromMilliseconds(n);
        if (s.EndsWith('s') && double.TryParse(s[..^1], out n)) return TimeSpan.FromSeconds(n);
        if (s.EndsWith('m') && double.TryParse(s[..^1], out n)) return TimeSpan.FromMinutes(n);
        if (double.TryParse(s, out n)) return TimeSpan.FromSeconds(n);
        throw new UsageException($"events: invalid --interval \"{s}\"");
    }

    static void Write(string type, string id, CgroupStats? s)
    {
        var buf = new MemoryStream();
        using (var w = new Utf8JsonWriter(buf))
        {
            w.WriteStartObject();
            w.WriteString("type", type);
            w.WriteString("id", id);
            if (s is not null)
            {
                w.WriteStartObject("data");
                w.WriteStartObject("cpu");
                w.WriteStartObject("usage");
                w.WriteNumber("total", s.Cpu.UsageNs); w.WriteNumber("kernel", s.Cpu.SystemNs); w.WriteNumber("user", s.Cpu.UserNs);
                w.WriteEndObject();
                w.WriteStartObject("throttling");
                w.WriteNumber("periods", s.Cpu.Periods); w.WriteNumber("throttledPeriods", s.Cpu.ThrottledPeriods); w.WriteNumber("throttledTime", s.Cpu.ThrottledNs);
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteStartObject("memory");
                w.WriteStartObject("usage");
                w.WriteNumber("limit", s.Memory.Limit); w.WriteNumber("usage", s.Memory.Usage); w.WriteNumber("max", s.Memory.MaxUsage); w.WriteNumber("failcnt", s.Memory.Failcnt);
                w.WriteEndObject();
                w.WriteStartObject("swap"); w.WriteNumber("usage", s.Memory.SwapUsage); w.WriteEndObject();
                w.WriteNumber("oomKill", s.Memory.OomKill);
                w.WriteEndObject();
                w.WriteStartObject("pids"); w.WriteNumber("current", s.Pids.Current); w.WriteNumber("limit", s.Pids.Limit); w.WriteEndObject();
                w.WriteStartObject("blkio");
                w.WriteNumber("readBytes", s.Blkio.ReadBytes); w.WriteNumber("writeBytes", s.Blkio.WriteBytes);
                w.WriteNumber("readOps", s.Blkio.ReadOps); w.WriteNumber("writeOps", s.Blkio.WriteOps);
                w.WriteEndObject();
                w.WriteStartObject("hugetlb");
                foreach (var (size, h) in s.Hugetlb)
                {
                    w.WriteStartObject(size);
                    w.WriteNumber("usage", h.Usage); w.WriteNumber("limit", h.Limit); w.WriteNumber("failcnt", h.Failcnt);
                    w.WriteEndObject();
                }
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        Console.Out.Write(Encoding.UTF8.GetString(buf.ToArray()) + "\n");
        Console.Out.Flush();
    }
}
