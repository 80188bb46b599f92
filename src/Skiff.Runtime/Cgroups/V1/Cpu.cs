using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Cgroups.V1;

/// <summary>
/// The v1 cpu controller: cpu.shares, CFS period/quota/burst, real-time runtime/period, cpu.idle.
/// Period is written before quota; if the kernel refuses the period with the old quota, quota goes first.
/// </summary>
internal static class Cpu
{
    const string C = "cpu";

    public static void Set(string dir, CpuResources cpu, List<string> warnings)
    {
        if (cpu.Shares is { } shares && shares != 0) CgroupFile.Write(C, dir, "cpu.shares", shares.ToString());
        ulong period = cpu.Period ?? 0;
        long quota = cpu.Quota ?? 0;
        if (period != 0)
        {
            if (CgroupFile.TryWrite(dir, "cpu.cfs_period_us", period.ToString()) != 0)
            {
                if (quota != 0) CgroupFile.Write(C, dir, "cpu.cfs_quota_us", quota.ToString());
                CgroupFile.Write(C, dir, "cpu.cfs_period_us", period.ToString());
            }
            else if (quota != 0) CgroupFile.Write(C, dir, "cpu.cfs_quota_us", quota.ToString());
        }
        else if (quota != 0) CgroupFile.Write(C, dir, "cpu.cfs_quota_us", quota.ToString());
        if (cpu.Burst is { } burst)
        {
            if (CgroupFile.Exists(dir, "cpu.cfs_burst_us")) CgroupFile.Write(C, dir, "cpu.cfs_burst_us", burst.ToString());
            else if (burst != 0) warnings.Add("cgroup cpu: burst skipped: this kernel has no cpu.cfs_burst_us");
        }
        if (cpu.RealtimePeriod is { } rtp && rtp != 0) CgroupFile.Write(C, dir, "cpu.rt_period_us", rtp.ToString());
        if (cpu.RealtimeRuntime is { } rtr && rtr != 0) CgroupFile.Write(C, dir, "cpu.rt_runtime_us", rtr.ToString());
        if (cpu.Idle is { } idle) CgroupFile.Write(C, dir, "cpu.idle", idle.ToString());
    }

    /// <summary>Throttling from cpu.stat (throttled_time is in ns on v1).</summary>
    public static void Stats(string dir, CpuStats s)
    {
        var text = CgroupFile.TryRead(dir, "cpu.stat");
        s.Periods = CgroupFile.KeyedValue(text, "nr_periods");
        s.ThrottledPeriods = CgroupFile.KeyedValue(text, "nr_throttled");
        s.ThrottledNs = CgroupFile.KeyedValue(text, "throttled_time");
    }
}
