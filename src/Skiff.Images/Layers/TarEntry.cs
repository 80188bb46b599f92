namespace Skiff.Images.Layers;

/// <summary>One tar header, after PAX and GNU long-name records were folded in. Xattr values are raw bytes
/// (file capabilities are binary; System.Formats.Tar would decode them as UTF-8 and corrupt them).</summary>
public sealed class TarEntry
{
    public const byte Regular = (byte)'0', RegularOld = 0, HardLink = (byte)'1', Symlink = (byte)'2', CharDevice = (byte)'3',
        BlockDevice = (byte)'4', Directory = (byte)'5', Fifo = (byte)'6', Contiguous = (byte)'7', PaxHeader = (byte)'x',
        PaxGlobal = (byte)'g', GnuLongName = (byte)'L', GnuLongLink = (byte)'K', GnuSparse = (byte)'S';

    public string Name { get; set; } = "";
    public byte Type { get; set; } = Regular;
    public uint Mode { get; set; }
    public long Uid { get; set; }
    public long Gid { get; set; }
    public long Size { get; set; }
    public long MtimeSec { get; set; }
    public long MtimeNsec { get; set; }
    public string LinkName { get; set; } = "";
    public string Uname { get; set; } = "";
    public string Gname { get; set; } = "";
    public uint DevMajor { get; set; }
    public uint DevMinor { get; set; }
    public SortedDictionary<string, byte[]>? Xattrs { get; set; }

    /// <summary>For a GNU sparse file (any format): where the data goes. <see cref="Size"/> is then the bytes stored
    /// in the archive, <see cref="SparseMap.RealSize"/> the file's size.</summary>
    public SparseMap? Sparse { get; set; }

    public bool IsRegular => Type is Regular or RegularOld or Contiguous;
}
