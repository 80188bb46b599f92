namespace Skiff.Images.Layers;

/// <summary>One stretch of a sparse file that the archive stores: <see cref="Length"/> bytes at <see cref="Offset"/>.</summary>
public readonly record struct SparseRegion(long Offset, long Length);

/// <summary>The map of a GNU sparse entry: the file's real size and the regions whose bytes the archive holds, in order.
/// Everything else is a hole. Built only through <see cref="Create"/>, which refuses maps a writer could not have made.</summary>
public sealed class SparseMap
{
    /// <summary>More regions than this is refused: the map lives in memory, and no real file needs that many.</summary>
    public const int MaxRegions = 1 << 20;

    SparseMap(long realSize, SparseRegion[] regions) { RealSize = realSize; Regions = regions; }

    public long RealSize { get; }
    public IReadOnlyList<SparseRegion> Regions { get; }

    /// <summary>Validates a map: regions sorted and disjoint, inside the real size, and their lengths adding up to exactly
    /// the <paramref name="stored"/> bytes the archive carries for the entry.</summary>
    public static SparseMap Create(string entry, long realSize, IReadOnlyList<SparseRegion> regions, long stored)
    {
        if (realSize < 0) throw Bad(entry, $"negative real size {realSize}");
        if (regions.Count > MaxRegions) throw Bad(entry, $"{regions.Count} regions (at most {MaxRegions})");
        long end = 0, sum = 0;
        foreach (var r in regions)
        {
            if (r.Offset < 0 || r.Length < 0) throw Bad(entry, $"negative region {r.Offset}+{r.Length}");
            if (r.Offset < end) throw Bad(entry, $"region at {r.Offset} overlaps or precedes the one ending at {end}");
            if (r.Offset > realSize || r.Length > realSize - r.Offset)
                throw Bad(entry, $"region {r.Offset}+{r.Length} lies beyond the real size {realSize}");
            end = r.Offset + r.Length;
            sum += r.Length; // cannot overflow: every region ends within realSize and they do not overlap
        }
        if (sum != stored) throw Bad(entry, $"regions hold {sum} bytes but the archive stores {stored}");
        return new SparseMap(realSize, [.. regions]);
    }

    internal static InvalidDataException Bad(string entry, string what) => new($"tar: \"{entry}\": bad GNU sparse map: {what}");
}
