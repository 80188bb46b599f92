using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Cgroups.V2;

/// <summary>
/// memory.max (limit), memory.low (reservation), memory.swap.max. The spec's swap is memory+swap (the v1 meaning);
/// v2 limits swap alone, so memory.swap.max = swap − limit, as runc and crun convert. kernel, kernelTCP, swappiness
/// and disableOOMKiller have no v2 file and are ignored.
/// </summary>
internal static class Memory
{
    const string C = "memory";

    public static void Set(string dir, MemoryResources m, List<string> warnings)
    {
        long limit = m.Limit ?? 0;
        if (m.CheckBeforeUpdate == true && limit > 0)
        {
            ulong usage = CgroupFile.ParseNumber(CgroupFile.Read(C, dir, "memory.current"));
            if ((ulong)limit < usage)
                throw new CgroupException(C, dir + "/memory.max", limit.ToString(), 0,
                    $"limit is below current usage {usage} (checkBeforeUpdate)");
        }
        long? swap = SwapMax(m.Swap ?? 0, limit);
        if (swap is { } s)
        {
            if (CgroupFile.Exists(dir, "memory.swap.max")) CgroupFile.Write(C, dir, "memory.swap.max", Max(s));
            else if (s != -1)
                throw new CgroupException(C, dir + "/memory.swap.max", Max(s), Linux.Errno.ENOENT, "swap accounting is not available");
        }
        if (limit != 0) CgroupFile.Write(C, dir, "memory.max", Max(limit));
        if (m.Reservation is { } r && r != 0) CgroupFile.Write(C, dir, "memory.low", Max(r));
        if (m.Kernel is { } k && k != 0 || m.KernelTcp is { } kt && kt != 0)
            warnings.Add("cgroup memory: kernel and kernelTCP limits skipped: cgroup v2 accounts kernel memory in memory.max");
        if (m.Swappiness is not null) warnings.Add("cgroup memory: swappiness skipped: cgroup v2 has no per-cgroup swappiness");
        if (m.DisableOomKiller == true) warnings.Add("cgroup memory: disableOOMKiller skipped: cgroup v2 cannot disable the OOM killer");
    }

    /// <summary>
    /// The memory.swap.max value for a spec (swap = memory+swap total, limit), or null to leave it alone:
    /// unlimited memory with swap unset means both unlimited; −1 means unlimited; otherwise swap − limit.
    /// </summary>
    public static long? SwapMax(long swap, long limit)
    {
        if (limit == -1 && swap == 0) return -1;
        if (swap == 0) return null;
        if (swap == -1) return -1;
        if (limit == 0)
            throw new CgroupException(C, "memory.swap.max", swap.ToString(), 0, "a swap limit needs a memory limit");
        if (limit < 0)
            throw new CgroupException(C, "memory.swap.max", swap.ToString(), 0, "swap cannot be limited while memory is unlimited");
        if (swap < limit)
            throw new CgroupException(C, "memory.swap.max", swap.ToString(), 0,
                $"memory+swap ({swap}) must be at least the memory limit ({limit})");
        return swap - limit;
    }

    static string Max(long v) => v < 0 ? "max" : v.ToString();

    public static void Stats(string dir, MemoryStats s)
    {
        s.Usage = CgroupFile.ReadNumber(dir, "memory.current");
        s.Limit = CgroupFile.ReadNumber(dir, "memory.max");
        s.MaxUsage = CgroupFile.ReadNumber(dir, "memory.peak");
        s.SwapUsage = CgroupFile.ReadNumber(dir, "memory.swap.current");
        var events = CgroupFile.TryRead(dir, "memory.events");
        s.Failcnt = CgroupFile.KeyedValue(events, "max");
        s.OomKill = CgroupFile.KeyedValue(events, "oom_kill");
    }

    public static ulong OomKills(string dir) => CgroupFile.KeyedValue(CgroupFile.TryRead(dir, "memory.events"), "oom_kill");
}
