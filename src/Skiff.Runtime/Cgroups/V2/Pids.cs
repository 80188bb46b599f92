using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Cgroups.V2;

/// <summary>pids.max: a positive limit, anything else is "max".</summary>
internal static class Pids
{
    public static void Set(string dir, PidsResources pids)
        => CgroupFile.Write("pids", dir, "pids.max", pids.Limit > 0 ? pids.Limit.ToString() : "max");

    public static void Stats(string dir, PidsStats s)
    {
        s.Current = CgroupFile.ReadNumber(dir, "pids.current");
        s.Limit = CgroupFile.ReadNumber(dir, "pids.max");
    }
}
