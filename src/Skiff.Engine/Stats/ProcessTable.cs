using System.Globalization;

namespace Skiff.Engine.Stats;

/// <summary><c>skiff top</c>: the container's processes (pids from its cgroup) as <c>ps -ef</c> prints them, docker's
/// default: UID PID PPID C STIME TTY TIME CMD, read from /proc directly.</summary>
public static class ProcessTable
{
    public static readonly string[] Titles = ["UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"];

    public static List<string[]> Rows(IEnumerable<int> pids)
    {
        var users = Users();
        double uptime = double.Parse(File.ReadAllText("/proc/uptime").Split(' ')[0], CultureInfo.InvariantCulture);
        var boot = DateTimeOffset.Now.AddSeconds(-uptime);
        var rows = new List<(int Pid, string[] Row)>();
        foreach (var pid in pids.Distinct())
        {
            string stat;
            try { stat = File.ReadAllText($"/proc/{pid}/stat"); }
            catch (IOException) { continue; } // exited meanwhile
            int close = stat.LastIndexOf(')');
            var comm = stat[(stat.IndexOf('(') + 1)..close];
            var f = stat[(close + 2)..].Split(' ');
            // f[0]=state f[1]=ppid f[4]=tty_nr f[11]=utime f[12]=stime f[19]=starttime (fields 3.. of stat)
            int ppid = int.Parse(f[1], CultureInfo.InvariantCulture);
            int tty = int.Parse(f[4], CultureInfo.InvariantCulture);
            double cpuSec = (ulong.Parse(f[11], CultureInfo.InvariantCulture) + ulong.Parse(f[12], CultureInfo.InvariantCulture)) / 100.0;
            double startSec = ulong.Parse(f[19], CultureInfo.InvariantCulture) / 100.0;
            double elapsed = Math.Max(uptime - startSec, 0.001);
            int c = (int)Math.Min(99, cpuSec * 100 / elapsed);
            var start = boot.AddSeconds(startSec);
            string stime = start.Date == DateTimeOffset.Now.Date ? start.ToString("HH:mm", CultureInfo.InvariantCulture)
                : start.ToString("MMMdd", CultureInfo.InvariantCulture);
            uint uid = RealUid(pid);
            var ts = TimeSpan.FromSeconds(Math.Floor(cpuSec));
            string time = ts.Days > 0 ? $"{ts.Days}-{ts:hh\\:mm\\:ss}" : ts.ToString("hh\\:mm\\:ss", CultureInfo.InvariantCulture);
            string cmd = CommandLine(pid) is { Length: > 0 } cl ? cl : $"[{comm}]";
            rows.Add((pid, [users.TryGetValue(uid, out var u) ? u : uid.ToString(CultureInfo.InvariantCulture),
                pid.ToString(CultureInfo.InvariantCulture), ppid.ToString(CultureInfo.InvariantCulture),
                c.ToString(CultureInfo.InvariantCulture), stime, Tty(tty), time, cmd]));
        }
        rows.Sort((a, b) => a.Pid.CompareTo(b.Pid));
        return rows.Select(r => r.Row).ToList();
    }

    static string Tty(int nr)
    {
        if (nr == 0) return "?";
        int major = (nr >> 8) & 0xfff, minor = (nr & 0xff) | ((nr >> 12) & 0xfff00);
        return major switch { 136 => $"pts/{minor}", 4 when minor < 64 => $"tty{minor}", _ => "?" };
    }

    static uint RealUid(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("Uid:", StringComparison.Ordinal))
                    return uint.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException) { }
        return 0;
    }

    static string CommandLine(int pid)
    {
        try
        {
            var raw = File.ReadAllBytes($"/proc/{pid}/cmdline");
            return System.Text.Encoding.UTF8.GetString(raw).TrimEnd('\0').Replace('\0', ' ');
        }
        catch (IOException) { return ""; }
    }

    /// <summary>Host user names, as ps on the host prints them (docker runs ps on the host).</summary>
    static Dictionary<uint, string> Users()
    {
        var d = new Dictionary<uint, string>();
        try
        {
            foreach (var line in File.ReadLines("/etc/passwd"))
            {
                var f = line.Split(':');
                if (f.Length > 2 && uint.TryParse(f[2], out var uid)) d.TryAdd(uid, f[0]);
            }
        }
        catch (IOException) { }
        return d;
    }
}
