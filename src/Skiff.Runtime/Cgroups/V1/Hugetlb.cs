using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Cgroups.V1;

/// <summary>The v1 hugetlb controller: hugetlb.&lt;size&gt;.limit_in_bytes (and .rsvd.limit_in_bytes where present).</summary>
internal static class Hugetlb
{
    const string C = "hugetlb";

    public static void Set(string dir, List<HugepageLimit> limits)
    {
        foreach (var l in limits)
        {
            var size = HugePageSizes.Validate(l.PageSize);
            var value = l.Limit.ToString();
            CgroupFile.Write(C, dir, $"hugetlb.{size}.limit_in_bytes", value);
            if (CgroupFile.Exists(dir, $"hugetlb.{size}.rsvd.limit_in_bytes"))
                CgroupFile.Write(C, dir, $"hugetlb.{size}.rsvd.limit_in_bytes", value);
        }
    }

    public static void Stats(string dir, Dictionary<string, HugetlbStats> stats)
    {
        foreach (var size in HugePageSizes.All)
        {
            var usage = CgroupFile.TryRead(dir, $"hugetlb.{size}.usage_in_bytes");
            if (usage is null) continue;
            stats[size] = new HugetlbStats
            {
                Usage = CgroupFile.ParseNumber(usage),
                Limit = Memory.Unlimited(CgroupFile.ReadNumber(dir, $"hugetlb.{size}.limit_in_bytes")),
                Failcnt = CgroupFile.ReadNumber(dir, $"hugetlb.{size}.failcnt"),
            };
        }
    }
}
