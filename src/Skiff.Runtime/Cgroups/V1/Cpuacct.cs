namespace Skiff.Runtime.Cgroups.V1;

/// <summary>The v1 cpuacct controller (statistics only): total, user and system CPU time in ns.</summary>
internal static class Cpuacct
{
    const ulong NsPerTick = 10_000_000; // USER_HZ = 100

    public static void Stats(string dir, CpuStats s)
    {
        s.UsageNs = CgroupFile.ReadNumber(dir, "cpuacct.usage");
        var user = CgroupFile.TryRead(dir, "cpuacct.usage_user");
        var sys = CgroupFile.TryRead(dir, "cpuacct.usage_sys");
        if (user is not null && sys is not null)
        {
            s.UserNs = CgroupFile.ParseNumber(user);
            s.SystemNs = CgroupFile.ParseNumber(sys);
            return;
        }
        var stat = CgroupFile.TryRead(dir, "cpuacct.stat");
        s.UserNs = CgroupFile.KeyedValue(stat, "user") * NsPerTick;
        s.SystemNs = CgroupFile.KeyedValue(stat, "system") * NsPerTick;
    }
}
