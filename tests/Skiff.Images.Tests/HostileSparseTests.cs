using System.Text;
using Skiff.Images.Layers;

namespace Skiff.Images.Tests;

/// <summary>Sparse maps no honest writer makes are refused before anything is created, with the entry named.</summary>
public class HostileSparseTests
{
    const string Victim = "victim";

    /// <summary>An old GNU 'S' header with the given map (four slots; more go to one extension block).</summary>
    static byte[] OldGnu(long realSize, long stored, params (long Offset, long Length)[] map)
        => new RawTar().Header(Victim, 'S', stored, gnuMagic: true, fill: h =>
        {
            for (int i = 0; i < Math.Min(4, map.Length); i++)
            {
                RawTar.Octal(h, 386 + i * 24, 12, map[i].Offset);
                RawTar.Octal(h, 386 + i * 24 + 12, 12, map[i].Length);
            }
            RawTar.Octal(h, 483, 12, realSize);
        }).Data(new byte[stored]).Build();

    static byte[] Pax(long stored, params (string, string)[] records)
        => new RawTar().Pax(records).Header(Victim, '0', stored).Data(new byte[stored]).Build();

    static byte[] Pax10(string map, long realSize, long stored)
    {
        var data = Encoding.ASCII.GetBytes(map);
        var block = new byte[(data.Length + 511) / 512 * 512 + stored];
        data.CopyTo(block, 0);
        return new RawTar().Pax(("GNU.sparse.major", "1"), ("GNU.sparse.minor", "0"), ("GNU.sparse.name", Victim),
            ("GNU.sparse.realsize", $"{realSize}")).Header("GNUSparseFile.0/" + Victim, '0', block.Length).Data(block).Build();
    }

    public static TheoryData<string, byte[]> Cases => new()
    {
        { "overlapping", OldGnu(4096, 1024, (0, 1024), (512, 0)) },
        { "unsorted", OldGnu(4096, 1024, (2048, 512), (0, 512)) },
        { "beyond the real size", OldGnu(4096, 512, (4096, 512)) },
        { "numbytes larger than the data", OldGnu(8192, 512, (0, 4096)) },
        { "0.0 offset beyond real size", Pax(0, ("GNU.sparse.size", "4096"), ("GNU.sparse.numblocks", "1"),
            ("GNU.sparse.offset", "8192"), ("GNU.sparse.numbytes", "0")) },
        { "0.0 pairs out of order", Pax(512, ("GNU.sparse.size", "4096"), ("GNU.sparse.numblocks", "1"),
            ("GNU.sparse.numbytes", "512"), ("GNU.sparse.offset", "0")) },
        { "0.1 unsorted", Pax(1024, ("GNU.sparse.size", "4096"), ("GNU.sparse.numblocks", "2"), ("GNU.sparse.map", "2048,512,0,512")) },
        { "0.1 numbytes larger than the data", Pax(512, ("GNU.sparse.size", "8192"), ("GNU.sparse.map", "0,4096")) },
        { "0.1 wrapping offset", Pax(512, ("GNU.sparse.size", "8192"), ("GNU.sparse.map", "9223372036854775807,512")) },
        { "0.1 numblocks mismatch", Pax(512, ("GNU.sparse.size", "8192"), ("GNU.sparse.numblocks", "7"), ("GNU.sparse.map", "0,512")) },
        { "1.0 huge count", Pax10("99999999999\n0\n512\n", 4096, 512) },
        { "1.0 map past the data", Pax10("3\n0\n512\n", 4096, 0) },
        { "1.0 not a number", Pax10("1\n-5\n512\n", 4096, 512) },
        { "1.0 overlapping", Pax10("2\n0\n512\n256\n512\n", 4096, 1024) },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Hostile_maps_are_refused_naming_the_entry_and_nothing_is_written(string why, byte[] tar)
    {
        using var t = new TempDir();
        var root = t.Sub("root");
        using (var a = new LayerApplier(root, WhiteoutStyle.Delete))
        {
            var x = Assert.Throws<InvalidDataException>(() => a.Apply(new MemoryStream(tar)));
            Assert.True(x.Message.Contains($"\"{Victim}\""), $"{why}: {x.Message}");
        }
        Assert.Empty(Directory.EnumerateFileSystemEntries(root));
        Assert.Equal([root], Directory.EnumerateFileSystemEntries(t.Path));
    }

    [Fact]
    public void An_unknown_pax_sparse_version_is_refused_naming_the_entry()
    {
        using var t = new TempDir();
        var tar = Pax(0, ("GNU.sparse.major", "2"), ("GNU.sparse.minor", "0"), ("GNU.sparse.realsize", "0"));
        using var a = new LayerApplier(t.Path, WhiteoutStyle.Delete);
        var x = Assert.Throws<NotSupportedException>(() => a.Apply(new MemoryStream(tar)));
        Assert.Contains($"\"{Victim}\"", x.Message);
    }
}
