namespace Skiff.Engine.Stats;

/// <summary>One reading of a container's counters (docker's stats JSON reduced to what <c>skiff stats</c> shows).
/// CPU percentages need two samples: <see cref="CpuPercent"/>.</summary>
public sealed record StatsSample
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public DateTimeOffset Read { get; init; }
    /// <summary>Container CPU time (all cores), ns.</summary>
    public ulong CpuUsageNs { get; init; }
    /// <summary>Host CPU time since boot from /proc/stat (all cores, all states), ns.</summary>
    public ulong SystemCpuNs { get; init; }
    public int OnlineCpus { get; init; }
    /// <summary>docker's "usage": cgroup usage minus inactive file cache.</summary>
    public ulong MemoryUsage { get; init; }
    /// <summary>The cgroup limit, or the host's memory when unlimited (as docker shows).</summary>
    public ulong MemoryLimit { get; init; }
    public ulong NetRx { get; init; }
    public ulong NetTx { get; init; }
    public ulong BlockRead { get; init; }
    public ulong BlockWrite { get; init; }
    public ulong Pids { get; init; }

    public double MemoryPercent => MemoryLimit == 0 ? 0 : MemoryUsage * 100.0 / MemoryLimit;

    /// <summary>docker's formula: container CPU delta over host CPU delta, times the online CPUs, in percent.</summary>
    public static double CpuPercent(StatsSample previous, StatsSample current)
    {
        double cpu = (double)current.CpuUsageNs - previous.CpuUsageNs;
        double sys = (double)current.SystemCpuNs - previous.SystemCpuNs;
        if (cpu <= 0 || sys <= 0) return 0;
        return cpu / sys * current.OnlineCpus * 100.0;
    }
}
