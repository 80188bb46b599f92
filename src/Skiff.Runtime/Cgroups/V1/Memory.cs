using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Cgroups.V1;

/// <summary>
/// The v1 memory controller. swap is the memory+swap total (memory.memsw.limit_in_bytes); limit and memsw are
/// written in the order the kernel accepts (memsw ≥ limit at every step). kernel/kernelTCP go to the kmem files when
/// the kernel still has them, otherwise they are skipped with a warning.
/// </summary>
internal static class Memory
{
    const string C = "memory";

    public static void Set(string dir, MemoryResources m, List<string> warnings)
    {
        long limit = m.Limit ?? 0, swap = m.Swap ?? 0;
        if (m.CheckBeforeUpdate == true && limit > 0)
        {
            ulong usage = CgroupFile.ParseNumber(CgroupFile.Read(C, dir, "memory.usage_in_bytes"));
            if ((ulong)limit < usage)
                throw new CgroupException(C, dir + "/memory.limit_in_bytes", limit.ToString(), 0,
                    $"limit is below current usage {usage} (checkBeforeUpdate)");
        }
        if (limit == -1 && swap == 0) swap = -1; // unlimited memory, swap unset: both unlimited
        if (swap != 0 && !CgroupFile.Exists(dir, "memory.memsw.limit_in_bytes"))
        {
            if (swap != -1)
                throw new CgroupException(C, dir + "/memory.memsw.limit_in_bytes", swap.ToString(), Linux.Errno.ENOENT,
                    "swap accounting is not enabled in this kernel");
            swap = 0;
        }
        if (limit != 0 && swap != 0)
        {
            // Raising: memsw first (it must stay ≥ limit). Lowering: limit first.
            ulong current = CgroupFile.ParseNumber(CgroupFile.Read(C, dir, "memory.limit_in_bytes"));
            if (swap == -1 || current < (ulong)swap)
            {
                CgroupFile.Write(C, dir, "memory.memsw.limit_in_bytes", swap.ToString());
                CgroupFile.Write(C, dir, "memory.limit_in_bytes", limit.ToString());
            }
            else
            {
                CgroupFile.Write(C, dir, "memory.limit_in_bytes", limit.ToString());
                CgroupFile.Write(C, dir, "memory.memsw.limit_in_bytes", swap.ToString());
            }
        }
        else if (limit != 0) CgroupFile.Write(C, dir, "memory.limit_in_bytes", limit.ToString());
        else if (swap != 0) CgroupFile.Write(C, dir, "memory.memsw.limit_in_bytes", swap.ToString());

        if (m.Reservation is { } r && r != 0) CgroupFile.Write(C, dir, "memory.soft_limit_in_bytes", r.ToString());
        if (m.Kernel is { } k && k != 0) Optional(dir, "memory.kmem.limit_in_bytes", k.ToString(), "kernel", warnings);
        if (m.KernelTcp is { } kt && kt != 0) Optional(dir, "memory.kmem.tcp.limit_in_bytes", kt.ToString(), "kernelTCP", warnings);
        if (m.Swappiness is { } sw)
        {
            if (sw > 100) throw new CgroupException(C, dir + "/memory.swappiness", sw.ToString(), 0, "swappiness must be 0–100");
            CgroupFile.Write(C, dir, "memory.swappiness", sw.ToString());
        }
        if (m.DisableOomKiller == true) CgroupFile.Write(C, dir, "memory.oom_control", "1");
        if (m.UseHierarchy is { } h) CgroupFile.Write(C, dir, "memory.use_hierarchy", h ? "1" : "0");
    }

    static void Optional(string dir, string file, string value, string field, List<string> warnings)
    {
        if (CgroupFile.Exists(dir, file)) CgroupFile.Write(C, dir, file, value);
        else warnings.Add($"cgroup memory: {field} limit skipped: this kernel has no {file}");
    }

    public static void Stats(string dir, MemoryStats s)
    {
        s.Usage = CgroupFile.ReadNumber(dir, "memory.usage_in_bytes");
        s.Limit = Unlimited(CgroupFile.ReadNumber(dir, "memory.limit_in_bytes"));
        s.MaxUsage = CgroupFile.ReadNumber(dir, "memory.max_usage_in_bytes");
        s.Failcnt = CgroupFile.ReadNumber(dir, "memory.failcnt");
        s.OomKill = OomKills(dir);
        ulong memsw = CgroupFile.ReadNumber(dir, "memory.memsw.usage_in_bytes");
        s.SwapUsage = memsw > s.Usage ? memsw - s.Usage : 0;
    }

    public static ulong OomKills(string dir) => CgroupFile.KeyedValue(CgroupFile.TryRead(dir, "memory.oom_control"), "oom_kill");

    /// <summary>v1 spells "no limit" as PAGE_COUNTER_MAX pages (9223372036854771712 with 4 KiB pages).</summary>
    internal static ulong Unlimited(ulong v) => v >= 0x7FFF_FFFF_FFFF_0000UL ? ulong.MaxValue : v;
}
