using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Cgroups.V2;

/// <summary>cpu.weight (from v1 shares), cpu.max ("quota period" / "max period"), cpu.max.burst, cpu.idle.</summary>
internal static class Cpu
{
    const string C = "cpu";
    const ulong DefaultPeriod = 100_000;

    public static void Set(string dir, CpuResources cpu)
    {
        if (cpu.RealtimeRuntime is { } rt && rt != 0 || cpu.RealtimePeriod is { } rp && rp != 0)
            throw new CgroupException(C, "realtimeRuntime and realtimePeriod are not supported on cgroup v2");
        if (cpu.Shares is { } shares && shares != 0) CgroupFile.Write(C, dir, "cpu.weight", Weight(shares).ToString());
        if (cpu.Quota is { } q && q != 0 || cpu.Period is { } p && p != 0)
            CgroupFile.Write(C, dir, "cpu.max", Max(cpu.Quota ?? 0, cpu.Period ?? 0));
        if (cpu.Burst is { } burst) CgroupFile.Write(C, dir, "cpu.max.burst", burst.ToString());
        if (cpu.Idle is { } idle) CgroupFile.Write(C, dir, "cpu.idle", idle.ToString());
    }

    /// <summary>v1 shares [2, 262144] → v2 weight [1, 10000]: 1 + ((shares − 2) × 9999) / 262142 (runc's and crun's mapping).</summary>
    public static ulong Weight(ulong shares)
    {
        if (shares <= 2) return 1;
        if (shares >= 262144) return 10000;
        return 1 + (shares - 2) * 9999 / 262142;
    }

    /// <summary>cpu.max text: "quota period", "max period" for no (or negative) quota; period defaults to 100000.</summary>
    public static string Max(long quota, ulong period)
        => $"{(quota > 0 ? quota.ToString() : "max")} {(period != 0 ? period : DefaultPeriod)}";

    public static void Stats(string dir, CpuStats s)
    {
        var text = CgroupFile.TryRead(dir, "cpu.stat");
        s.UsageNs = CgroupFile.KeyedValue(text, "usage_usec") * 1000;
        s.UserNs = CgroupFile.KeyedValue(text, "user_usec") * 1000;
        s.SystemNs = CgroupFile.KeyedValue(text, "system_usec") * 1000;
        s.Periods = CgroupFile.KeyedValue(text, "nr_periods");
        s.ThrottledPeriods = CgroupFile.KeyedValue(text, "nr_throttled");
        s.ThrottledNs = CgroupFile.KeyedValue(text, "throttled_usec") * 1000;
    }
}
