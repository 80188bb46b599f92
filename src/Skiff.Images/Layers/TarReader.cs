using System.Buffers;
using System.Text;

namespace Skiff.Images.Layers;

/// <summary>A streaming tar reader: ustar, PAX (local records; SCHILY.xattr.* with binary values), GNU long names,
/// base-256 numbers and GNU sparse files (see TarReader.Sparse.cs). Reads from any forward-only stream (a decompressor over a download).</summary>
public sealed partial class TarReader : IDisposable
{
    readonly Stream _s;
    readonly byte[] _buf = ArrayPool<byte>.Shared.Rent(1 << 17);
    int _pos, _len;
    long _dataLeft, _padLeft;
    Dictionary<string, byte[]>? _globalPax;

    public TarReader(Stream s) => _s = s;

    /// <summary>The next entry, or null at the end of the archive. Unread data of the previous entry is skipped.</summary>
    public TarEntry? Next()
    {
        SkipData();
        Dictionary<string, byte[]>? pax = null;
        List<(string Key, string Value)>? pairs00 = null;
        string? longName = null, longLink = null;
        Span<byte> h = stackalloc byte[512];
        while (true)
        {
            if (!ReadBlock(h)) return null;
            if (h.IndexOfAnyExcept((byte)0) < 0) return null; // end-of-archive marker
            VerifyChecksum(h);
            var e = ParseHeader(h);
            switch (e.Type)
            {
                case TarEntry.PaxHeader:
                    pairs00 = [];
                    pax = ParsePax(ReadSmallData(e.Size), pairs00);
                    continue;
                case TarEntry.PaxGlobal:
                    foreach (var kv in ParsePax(ReadSmallData(e.Size))) (_globalPax ??= [])[kv.Key] = kv.Value;
                    continue;
                case TarEntry.GnuLongName:
                    longName = CString(ReadSmallData(e.Size));
                    continue;
                case TarEntry.GnuLongLink:
                    longLink = CString(ReadSmallData(e.Size));
                    continue;
            }
            if (longName is not null) e.Name = longName;
            if (longLink is not null) e.LinkName = longLink;
            if (_globalPax is not null) ApplyPax(e, _globalPax);
            if (pax is not null) ApplyPax(e, pax);
            if (e.Type == TarEntry.GnuSparse) ReadOldGnuSparse(h, e);
            _dataLeft = e.Type is TarEntry.HardLink or TarEntry.Symlink or TarEntry.Directory or TarEntry.CharDevice
                or TarEntry.BlockDevice or TarEntry.Fifo ? 0 : e.Size;
            // Some writers give hardlinks a size; the data is not there. Others put padding only for data present.
            _padLeft = (512 - (_dataLeft % 512)) % 512;
            if (e.Type is TarEntry.HardLink or TarEntry.Symlink or TarEntry.Directory) e.Size = 0;
            else if (pax is not null && e.IsRegular) ReadPaxSparse(e, pax, pairs00 is { Count: > 0 } ? pairs00 : null);
            return e;
        }
    }

    /// <summary>Reads data of the current entry; 0 at its end.</summary>
    public int Read(Span<byte> dest)
    {
        var chunk = ReadChunk();
        int n = Math.Min(dest.Length, chunk.Length);
        chunk[..n].CopyTo(dest);
        int unread = chunk.Length - n;
        _pos -= unread;
        _dataLeft += unread;
        return n;
    }

    /// <summary>Hands out the current entry's data in place (no copy); valid until the next call. Empty at its end.</summary>
    public ReadOnlySpan<byte> ReadChunk() => ReadChunk(long.MaxValue);

    /// <summary>Like <see cref="ReadChunk()"/>, at most <paramref name="max"/> bytes (one region of a sparse file).</summary>
    public ReadOnlySpan<byte> ReadChunk(long max)
    {
        if (_dataLeft == 0 || max <= 0) return default;
        if (_pos == _len && !Fill()) throw new EndOfStreamException("tar: archive truncated inside file data");
        int n = (int)Math.Min(Math.Min(_len - _pos, _dataLeft), max);
        var span = _buf.AsSpan(_pos, n);
        _pos += n;
        _dataLeft -= n;
        return span;
    }

    /// <summary>Skips what is left of the current entry's data and its padding.</summary>
    public void SkipData()
    {
        SkipBytes(_dataLeft + _padLeft);
        _dataLeft = 0;
        _padLeft = 0;
    }

    void SkipBytes(long n)
    {
        while (n > 0)
        {
            if (_pos == _len && !Fill()) throw new EndOfStreamException("tar: archive truncated inside file data");
            int k = (int)Math.Min(_len - _pos, n);
            _pos += k;
            n -= k;
        }
    }

    bool Fill()
    {
        _pos = 0;
        _len = _s.Read(_buf, 0, _buf.Length);
        return _len > 0;
    }

    bool ReadBlock(Span<byte> block)
    {
        int got = 0;
        while (got < 512)
        {
            if (_pos == _len && !Fill())
            {
                if (got == 0) return false;
                throw new EndOfStreamException("tar: archive truncated inside a header");
            }
            int n = Math.Min(512 - got, _len - _pos);
            _buf.AsSpan(_pos, n).CopyTo(block[got..]);
            _pos += n;
            got += n;
        }
        return true;
    }

    byte[] ReadSmallData(long size)
    {
        if (size is < 0 or > 1 << 24) throw new InvalidDataException($"tar: extended header of {size} bytes");
        var data = new byte[size];
        _dataLeft = size;
        _padLeft = (512 - (size % 512)) % 512;
        int off = 0;
        while (off < size)
        {
            int n = Read(data.AsSpan(off));
            if (n == 0) throw new EndOfStreamException("tar: truncated extended header");
            off += n;
        }
        SkipData();
        return data;
    }

    static void VerifyChecksum(ReadOnlySpan<byte> h)
    {
        long want = ParseNumber(h.Slice(148, 8));
        long unsigned = 0, signed = 0;
        for (int i = 0; i < 512; i++)
        {
            byte b = i is >= 148 and < 156 ? (byte)' ' : h[i];
            unsigned += b;
            signed += (sbyte)b;
        }
        if (want != unsigned && want != signed) throw new InvalidDataException("tar: header checksum mismatch (not a tar stream, or corrupt)");
    }

    static TarEntry ParseHeader(ReadOnlySpan<byte> h)
    {
        var e = new TarEntry
        {
            Name = CString(h[..100]),
            Mode = (uint)ParseNumber(h.Slice(100, 8)),
            Uid = ParseNumber(h.Slice(108, 8)),
            Gid = ParseNumber(h.Slice(116, 8)),
            Size = ParseNumber(h.Slice(124, 12)),
            MtimeSec = ParseNumber(h.Slice(136, 12)),
            Type = h[156],
            LinkName = CString(h.Slice(157, 100)),
        };
        bool ustar = h.Slice(257, 6).SequenceEqual("ustar\0"u8);
        bool gnu = h.Slice(257, 8).SequenceEqual("ustar  \0"u8);
        if (ustar || gnu)
        {
            e.Uname = CString(h.Slice(265, 32));
            e.Gname = CString(h.Slice(297, 32));
            e.DevMajor = (uint)ParseNumber(h.Slice(329, 8));
            e.DevMinor = (uint)ParseNumber(h.Slice(337, 8));
            if (ustar)
            {
                var prefix = CString(h.Slice(345, 155));
                if (prefix.Length > 0) e.Name = prefix + "/" + e.Name;
            }
        }
        if (e.Size < 0) throw new InvalidDataException("tar: negative size");
        return e;
    }

    internal static long ParseNumber(ReadOnlySpan<byte> f)
    {
        if (f.Length > 0 && (f[0] & 0x80) != 0)
        {
            // base-256: big-endian two's complement, first byte's top bit is the marker
            long v = f[0] & 0x7f;
            if ((f[0] & 0x40) != 0) v |= ~0x7fL; // negative
            for (int i = 1; i < f.Length; i++) v = (v << 8) | f[i];
            return v;
        }
        long n = 0;
        int j = 0;
        while (j < f.Length && (f[j] == ' ' || f[j] == 0)) j++;
        for (; j < f.Length; j++)
        {
            byte c = f[j];
            if (c == ' ' || c == 0) break;
            if (c < '0' || c > '7') throw new InvalidDataException("tar: invalid octal number in header");
            n = n * 8 + (c - '0');
        }
        return n;
    }

    static string CString(ReadOnlySpan<byte> b)
    {
        int z = b.IndexOf((byte)0);
        return Encoding.UTF8.GetString(z < 0 ? b : b[..z]);
    }

    /// <summary>"LEN KEY=VALUE\n" records; values stay bytes. GNU.sparse.offset/numbytes repeat (sparse format 0.0): they
    /// also go to <paramref name="sparsePairs"/> in archive order.</summary>
    internal static Dictionary<string, byte[]> ParsePax(ReadOnlySpan<byte> data, List<(string Key, string Value)>? sparsePairs = null)
    {
        var d = new Dictionary<string, byte[]>();
        while (data.Length > 0)
        {
            int sp = data.IndexOf((byte)' ');
            if (sp <= 0 || !int.TryParse(data[..sp], out int len) || len <= sp + 1 || len > data.Length)
                throw new InvalidDataException("tar: malformed PAX record");
            var rec = data[(sp + 1)..len];
            if (rec[^1] != '\n') throw new InvalidDataException("tar: malformed PAX record");
            int eq = rec.IndexOf((byte)'=');
            if (eq <= 0) throw new InvalidDataException("tar: malformed PAX record");
            var key = Encoding.UTF8.GetString(rec[..eq]);
            d[key] = rec[(eq + 1)..^1].ToArray();
            if (sparsePairs is not null && key is "GNU.sparse.offset" or "GNU.sparse.numbytes")
                sparsePairs.Add((key, Encoding.UTF8.GetString(d[key])));
            data = data[len..];
        }
        return d;
    }

    static void ApplyPax(TarEntry e, Dictionary<string, byte[]> pax)
    {
        foreach (var (key, value) in pax)
        {
            string S() => Encoding.UTF8.GetString(value);
            switch (key)
            {
                case "path": e.Name = S(); break;
                case "linkpath": e.LinkName = S(); break;
                case "size": e.Size = long.Parse(S()); break;
                case "uid": e.Uid = long.Parse(S()); break;
                case "gid": e.Gid = long.Parse(S()); break;
                case "uname": e.Uname = S(); break;
                case "gname": e.Gname = S(); break;
                case "mtime": ParseTime(S(), out var sec, out var ns); e.MtimeSec = sec; e.MtimeNsec = ns; break;
                default:
                    if (key.StartsWith("SCHILY.xattr.", StringComparison.Ordinal))
                        (e.Xattrs ??= new(StringComparer.Ordinal))[key["SCHILY.xattr.".Length..]] = value;
                    break;
            }
        }
    }

    static void ParseTime(string s, out long sec, out long nsec)
    {
        int dot = s.IndexOf('.');
        sec = long.Parse(dot < 0 ? s : s[..dot]);
        nsec = 0;
        if (dot >= 0)
        {
            var frac = (s[(dot + 1)..] + "000000000")[..9];
            nsec = long.Parse(frac);
            if (s.StartsWith('-') && nsec > 0) { sec -= 1; nsec = 1_000_000_000 - nsec; }
        }
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(_buf);
}
