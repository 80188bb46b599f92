namespace Skiff.Runtime.Cgroups;

/// <summary>The huge page sizes this kernel offers, spelled as the hugetlb controller names them ("2MB", "1GB").</summary>
public static class HugePageSizes
{
    static string[]? sizes;

    public static IReadOnlyList<string> All => sizes ??= Detect();

    static string[] Detect()
    {
        try
        {
            return Directory.GetDirectories("/sys/kernel/mm/hugepages")
                .Select(d => Path.GetFileName(d))
                .Where(n => n.StartsWith("hugepages-", StringComparison.Ordinal) && n.EndsWith("kB", StringComparison.Ordinal))
                .Select(n => FromKilobytes(ulong.Parse(n.AsSpan(10, n.Length - 12))))
                .ToArray();
        }
        catch (DirectoryNotFoundException) { return []; }
    }

    /// <summary>2048 → "2MB", 1048576 → "1GB", 64 → "64KB" (the kernel's hugetlb file naming).</summary>
    public static string FromKilobytes(ulong kb)
        => kb >= 1024 * 1024 && kb % (1024 * 1024) == 0 ? $"{kb / (1024 * 1024)}GB"
         : kb >= 1024 && kb % 1024 == 0 ? $"{kb / 1024}MB" : $"{kb}KB";

    /// <summary>Checks a spec pageSize ("2MB") against the sizes offered; throws a clear error otherwise.</summary>
    public static string Validate(string? pageSize)
    {
        if (string.IsNullOrEmpty(pageSize) || !All.Contains(pageSize))
            throw new CgroupException("hugetlb",
                $"page size \"{pageSize}\" is not offered by this kernel (sizes: {(All.Count == 0 ? "none" : string.Join(", ", All))})");
        return pageSize;
    }
}
