using Skiff.Runtime.Cgroups;

namespace Skiff.Engine.Stats;

/// <summary>Reads a container's counters from its cgroup (through the runtime's cgroup managers, v1, hybrid or v2)
/// and its init's network namespace (/proc/&lt;pid&gt;/net/dev).</summary>
public static class ContainerStats
{
    public static StatsSample Sample(string id, string name, string cgroupsPath, int pid)
    {
        var cg = CgroupManagers.Open(cgroupsPath);
        var s = cg.Stats();
        var (rx, tx) = pid > 0 ? NetDev(pid) : (0UL, 0UL);
        ulong usage = s.Memory.Usage;
        ulong inactive = InactiveFile(cgroupsPath);
        usage = usage > inactive ? usage - inactive : usage;
        ulong hostMem = HostMemory();
        ulong limit = s.Memory.Limit == 0 || s.Memory.Limit == ulong.MaxValue || s.Memory.Limit > hostMem ? hostMem : s.Memory.Limit;
        return new StatsSample
        {
            Id = id, Name = name, Read = DateTimeOffset.UtcNow,
            CpuUsageNs = s.Cpu.UsageNs, SystemCpuNs = SystemCpuNs(), OnlineCpus = Environment.ProcessorCount,
            MemoryUsage = usage, MemoryLimit = limit,
            NetRx = rx, NetTx = tx, BlockRead = s.Blkio.ReadBytes, BlockWrite = s.Blkio.WriteBytes, Pids = s.Pids.Current,
        };
    }

    /// <summary>The bundle's linux.cgroupsPath (what the runtime was told), read from config.json.</summary>
    public static string CgroupsPathOf(string bundleConfig)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(bundleConfig));
        if (doc.RootElement.TryGetProperty("linux", out var l) && l.TryGetProperty("cgroupsPath", out var p) && p.GetString() is { Length: > 0 } s)
            return s;
        throw new InvalidOperationException($"{bundleConfig}: no linux.cgroupsPath");
    }

    /// <summary>Bytes received and sent on every interface but lo, as the container's init sees them.</summary>
    public static (ulong Rx, ulong Tx) NetDev(int pid)
    {
        ulong rx = 0, tx = 0;
        string text;
        try { text = File.ReadAllText($"/proc/{pid}/net/dev"); }
        catch (IOException) { return (0, 0); }
        foreach (var line in text.Split('\n').Skip(2))
        {
            int colon = line.IndexOf(':');
            if (colon < 0) continue;
            if (line[..colon].Trim() == "lo") continue;
            var f = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 9) continue;
            rx += ulong.Parse(f[0]);
            tx += ulong.Parse(f[8]);
        }
        return (rx, tx);
    }

    /// <summary>/proc/stat's first line (all CPUs, every state) in ns, docker's "system_cpu_usage".</summary>
    public static ulong SystemCpuNs()
    {
        var first = File.ReadLines("/proc/stat").First();
        ulong ticks = 0;
        foreach (var f in first.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(7)) ticks += ulong.Parse(f);
        return ticks * (1_000_000_000UL / ClockTicks);
    }

    const ulong ClockTicks = 100; // USER_HZ on every Linux architecture .NET runs on

    static ulong HostMemory()
    {
        foreach (var line in File.ReadLines("/proc/meminfo"))
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
                return ulong.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        return 0;
    }

    /// <summary>docker subtracts the inactive page cache from usage (v1: total_inactive_file, v2: inactive_file).</summary>
    static ulong InactiveFile(string cgroupsPath)
    {
        var layout = CgroupLayout.Host;
        var rel = CgroupPath.Normalize(cgroupsPath).TrimStart('/');
        string? file = null, key = null;
        if (layout.HierarchyOf("memory") is { } h) { file = Path.Combine(h.MountPoint, rel, "memory.stat"); key = "total_inactive_file"; }
        else if (layout.UnifiedMount is { } u) { file = Path.Combine(u, rel, "memory.stat"); key = "inactive_file"; }
        if (file is null || !File.Exists(file)) return 0;
        foreach (var line in File.ReadLines(file))
        {
            var f = line.Split(' ');
            if (f.Length == 2 && f[0] == key && ulong.TryParse(f[1], out var v)) return v;
        }
        return 0;
    }
}
