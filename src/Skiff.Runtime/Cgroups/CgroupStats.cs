namespace Skiff.Runtime.Cgroups;

/// <summary>What <see cref="ICgroupManager.Stats"/> reports. "Unlimited" is <see cref="ulong.MaxValue"/>.</summary>
public sealed class CgroupStats
{
    public MemoryStats Memory { get; } = new();
    public PidsStats Pids { get; } = new();
    public CpuStats Cpu { get; } = new();
    public BlkioStats Blkio { get; } = new();
    /// <summary>Per huge page size ("2MB"): usage and limit in bytes.</summary>
    public Dictionary<string, HugetlbStats> Hugetlb { get; } = new();
}

public sealed class MemoryStats
{
    public ulong Usage { get; set; }
    public ulong Limit { get; set; }
    /// <summary>Peak usage (v1 max_usage_in_bytes, v2 memory.peak).</summary>
    public ulong MaxUsage { get; set; }
    /// <summary>Times the limit was hit (v1 failcnt, v2 memory.events "max").</summary>
    public ulong Failcnt { get; set; }
    public ulong OomKill { get; set; }
    public ulong SwapUsage { get; set; }
}

public sealed class PidsStats
{
    public ulong Current { get; set; }
    public ulong Limit { get; set; }
}

public sealed class CpuStats
{
    public ulong UsageNs { get; set; }
    public ulong UserNs { get; set; }
    public ulong SystemNs { get; set; }
    public ulong Periods { get; set; }
    public ulong ThrottledPeriods { get; set; }
    public ulong ThrottledNs { get; set; }
}

public sealed class BlkioStats
{
    public ulong ReadBytes { get; set; }
    public ulong WriteBytes { get; set; }
    public ulong ReadOps { get; set; }
    public ulong WriteOps { get; set; }
}

public sealed class HugetlbStats
{
    public ulong Usage { get; set; }
    public ulong Limit { get; set; }
    public ulong Failcnt { get; set; }
}
