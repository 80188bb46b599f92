using System.Globalization;
using System.Text;

namespace Skiff.Images.Layers;

/// <summary>GNU sparse entries, in every form GNU tar writes: the old GNU 'S' header (map in the header, continued in
/// extension blocks), and PAX formats 0.0 (repeated GNU.sparse.offset/numbytes), 0.1 (GNU.sparse.map) and 1.0 (map as
/// decimal lines at the start of the data, padded to a block). The entry comes out as a regular file whose data is the
/// stored regions only; <see cref="TarEntry.Sparse"/> says where they go.</summary>
public sealed partial class TarReader
{
    const int OldGnuSparseAt = 386, OldGnuIsExtendedAt = 482, OldGnuRealSizeAt = 483, ExtensionEntries = 21;

    /// <summary>Old GNU 'S': four map entries in the header, then 512-byte extension blocks of 21 while isextended is set.</summary>
    void ReadOldGnuSparse(ReadOnlySpan<byte> h, TarEntry e)
    {
        var regions = new List<SparseRegion>();
        bool more = AddEntries(h.Slice(OldGnuSparseAt, 4 * 24), regions, e.Name) && h[OldGnuIsExtendedAt] != 0;
        Span<byte> ext = stackalloc byte[512];
        while (more)
        {
            if (regions.Count > SparseMap.MaxRegions) throw SparseMap.Bad(e.Name, $"more than {SparseMap.MaxRegions} regions");
            if (!ReadBlock(ext)) throw new EndOfStreamException($"tar: \"{e.Name}\": archive truncated inside a sparse map");
            more = AddEntries(ext[..(ExtensionEntries * 24)], regions, e.Name) && ext[504] != 0;
        }
        e.Sparse = SparseMap.Create(e.Name, ParseNumber(h.Slice(OldGnuRealSizeAt, 12)), regions, e.Size);
        e.Type = TarEntry.Regular;
    }

    /// <summary>Adds the (offset, numbytes) pairs of one map area; false when an empty slot ended the map.</summary>
    static bool AddEntries(ReadOnlySpan<byte> area, List<SparseRegion> regions, string entry)
    {
        for (int i = 0; i < area.Length; i += 24)
        {
            if (area[i] == 0) return false;
            regions.Add(new SparseRegion(Number(area.Slice(i, 12), entry), Number(area.Slice(i + 12, 12), entry)));
        }
        return true;
    }

    static long Number(ReadOnlySpan<byte> f, string entry)
    {
        try { return ParseNumber(f); }
        catch (InvalidDataException) { throw SparseMap.Bad(entry, "a map number is not octal"); }
    }

    /// <summary>PAX sparse keys of one entry's local extended header; <paramref name="pairs00"/> holds format 0.0's
    /// repeated offset/numbytes values in archive order. Format 1.0's map is read from the data here.</summary>
    void ReadPaxSparse(TarEntry e, Dictionary<string, byte[]> pax, List<(string Key, string Value)>? pairs00)
    {
        string? Get(string k) => pax.TryGetValue("GNU.sparse." + k, out var v) ? Encoding.UTF8.GetString(v) : null;
        if (Get("name") is { } name) e.Name = name;
        string? major = Get("major"), minor = Get("minor");
        if (major is not null || minor is not null)
        {
            if (major != "1" || minor != "0") throw new NotSupportedException($"tar: \"{e.Name}\": GNU sparse format {major}.{minor} is not supported");
            long real = Decimal(Get("realsize") ?? throw SparseMap.Bad(e.Name, "GNU.sparse.realsize missing"), e.Name);
            var regions = ReadDataMap(e.Name);
            e.Size = _dataLeft;
            e.Sparse = SparseMap.Create(e.Name, real, regions, e.Size);
            return;
        }
        var size = Get("size") ?? Get("realsize");
        var map = Get("map");
        if (size is null && map is null && pairs00 is null) return; // stray keys (e.g. from a global header): not sparse
        long realSize = Decimal(size ?? throw SparseMap.Bad(e.Name, "GNU.sparse.size missing"), e.Name);
        var numbers = map is not null ? ParseMapList(map, e.Name) : ParsePairs(pairs00, e.Name);
        if (numbers.Count % 2 != 0) throw SparseMap.Bad(e.Name, "an offset without its numbytes");
        var list = new List<SparseRegion>(numbers.Count / 2);
        for (int i = 0; i < numbers.Count; i += 2) list.Add(new SparseRegion(numbers[i], numbers[i + 1]));
        if (Get("numblocks") is { } nb && Decimal(nb, e.Name) != list.Count)
            throw SparseMap.Bad(e.Name, $"GNU.sparse.numblocks={nb} but {list.Count} regions given");
        e.Sparse = SparseMap.Create(e.Name, realSize, list, e.Size);
    }

    /// <summary>Format 0.0: offset and numbytes must alternate, offset first.</summary>
    static List<long> ParsePairs(List<(string Key, string Value)>? pairs, string entry)
    {
        var list = new List<long>(pairs?.Count ?? 0);
        foreach (var (key, value) in pairs ?? [])
        {
            if ((key == "GNU.sparse.offset") != (list.Count % 2 == 0)) throw SparseMap.Bad(entry, "GNU.sparse.offset and numbytes do not alternate");
            list.Add(Decimal(value, entry));
        }
        return list;
    }

    static List<long> ParseMapList(string map, string entry)
    {
        var parts = map.Length == 0 ? [] : map.Split(',');
        if (parts.Length > 2 * SparseMap.MaxRegions) throw SparseMap.Bad(entry, $"{parts.Length / 2} regions (at most {SparseMap.MaxRegions})");
        var list = new List<long>(parts.Length);
        foreach (var p in parts) list.Add(Decimal(p, entry));
        return list;
    }

    /// <summary>Format 1.0: "count\n" then count × "offset\nnumbytes\n", padded with zeros to a 512-byte boundary.</summary>
    List<SparseRegion> ReadDataMap(string entry)
    {
        long consumed = 0;
        long count = DataLine(entry, ref consumed);
        if (count > SparseMap.MaxRegions) throw SparseMap.Bad(entry, $"{count} regions (at most {SparseMap.MaxRegions})");
        var list = new List<SparseRegion>((int)count);
        for (long i = 0; i < count; i++) list.Add(new SparseRegion(DataLine(entry, ref consumed), DataLine(entry, ref consumed)));
        long pad = (512 - consumed % 512) % 512;
        if (pad > _dataLeft) throw SparseMap.Bad(entry, "map longer than the entry's data");
        SkipBytes(pad);
        _dataLeft -= pad;
        return list;
    }

    long DataLine(string entry, ref long consumed)
    {
        Span<char> digits = stackalloc char[20];
        int n = 0;
        while (true)
        {
            if (_dataLeft == 0) throw SparseMap.Bad(entry, "map longer than the entry's data");
            if (_pos == _len && !Fill()) throw new EndOfStreamException($"tar: \"{entry}\": archive truncated inside a sparse map");
            byte b = _buf[_pos++];
            _dataLeft--;
            consumed++;
            if (b == '\n') break;
            if (b is < (byte)'0' or > (byte)'9' || n == digits.Length) throw SparseMap.Bad(entry, "map line is not a decimal number");
            digits[n++] = (char)b;
        }
        return Decimal(digits[..n], entry);
    }

    static long Decimal(ReadOnlySpan<char> s, string entry)
        => s.Length > 0 && long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out long v) ? v
            : throw SparseMap.Bad(entry, $"\"{s}\" is not a decimal number");
}
