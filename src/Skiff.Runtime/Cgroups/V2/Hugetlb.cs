using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Cgroups.V2;

/// <summary>hugetlb.&lt;size&gt;.max, and hugetlb.&lt;size&gt;.rsvd.max where the kernel has reservation accounting.</summary>
internal static class Hugetlb
{
    const string C = "hugetlb";

    public static void Set(string dir, List<HugepageLimit> limits)
    {
        foreach (var l in limits)
        {
            var size = HugePageSizes.Validate(l.PageSize);
            var value = l.Limit.ToString();
            CgroupFile.Write(C, dir, $"hugetlb.{size}.max", value);
            if (CgroupFile.Exists(dir, $"hugetlb.{size}.rsvd.max")) CgroupFile.Write(C, dir, $"hugetlb.{size}.rsvd.max", value);
        }
    }

    public static void Stats(string dir, Dictionary<string, HugetlbStats> stats)
    {
        foreach (var size in HugePageSizes.All)
        {
            var current = CgroupFile.TryRead(dir, $"hugetlb.{size}.current");
            if (current is null) continue;
            stats[size] = new HugetlbStats
            {
                Usage = CgroupFile.ParseNumber(current),
                Limit = CgroupFile.ReadNumber(dir, $"hugetlb.{size}.max"),
                Failcnt = CgroupFile.KeyedValue(CgroupFile.TryRead(dir, $"hugetlb.{size}.events"), "max"),
            };
        }
    }
}
