using System.Globalization;
using Skiff.Linux;

namespace Skiff.Shim;

/// <summary>
/// Shrinks what an idle shim keeps resident once the container runs: the start-up garbage (collected and
/// decommitted), free malloc memory, and the page-table entries of the shim binary's start-up code. Those code
/// pages stay in the page cache (shared by every shim) and fault back in if ever run again; only mappings without
/// a single written page are dropped, so relocated data is never touched.
/// </summary>
static class ResidentSet
{
    public static void Shrink()
    {
        var clean = CleanCodeRanges();
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        Memory.TrimHeap();
        foreach (var (start, length) in clean) Memory.Advise(start, length, Memory.MADV_DONTNEED);
    }

    /// <summary>The shim binary's read-only mappings none of whose pages were ever written.</summary>
    static List<(nint Start, nuint Length)> CleanCodeRanges()
    {
        var ranges = new List<(nint, nuint)>();
        string exe;
        string[] lines;
        try
        {
            exe = File.ResolveLinkTarget("/proc/self/exe", false)?.FullName ?? "";
            lines = File.ReadAllLines("/proc/self/smaps");
        }
        catch (IOException) { return ranges; }
        if (exe.Length == 0) return ranges;
        nint start = 0, end = 0;
        bool candidate = false;
        foreach (var line in lines)
        {
            if (line.Length > 0 && char.IsAsciiHexDigit(line[0]) && line.Contains('-') && line.Contains(' '))
            {
                var f = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
                var range = f[0].Split('-');
                start = (nint)long.Parse(range[0], NumberStyles.HexNumber);
                end = (nint)long.Parse(range[1], NumberStyles.HexNumber);
                candidate = f.Length == 6 && f[5].Trim() == exe && f[1] is "r-xp" or "r--p";
            }
            else if (candidate && line.StartsWith("Anonymous:", StringComparison.Ordinal))
            {
                // A written (copy-on-write) page would be lost by DONTNEED: only wholly clean mappings qualify.
                if (line.AsSpan(10).Trim().StartsWith("0 ")) ranges.Add((start, (nuint)(end - start)));
                candidate = false;
            }
        }
        return ranges;
    }
}
