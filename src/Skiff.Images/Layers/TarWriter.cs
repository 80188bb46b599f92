using System.Text;

namespace Skiff.Images.Layers;

/// <summary>A deterministic tar writer: ustar headers, with a PAX record in front when a name, link, number or xattr
/// does not fit ustar. Same entries in → same bytes out (no atime/ctime, no host names, fixed PAX header names).</summary>
public sealed class TarWriter : IDisposable
{
    readonly Stream _out;
    readonly byte[] _block = new byte[512];
    long _dataLeft, _pad;

    public TarWriter(Stream output) => _out = output;

    public void WriteHeader(TarEntry e)
    {
        if (_dataLeft != 0) throw new InvalidOperationException("tar: previous entry's data not fully written");
        var pax = new List<(string, byte[])>();
        string name = e.Name, prefix = "";
        if (!FitsUstar(name, out name, out prefix)) { pax.Add(("path", Encoding.UTF8.GetBytes(e.Name))); name = Truncate(e.Name, 100); prefix = ""; }
        string link = e.LinkName;
        if (Encoding.UTF8.GetByteCount(link) > 100 || !IsAscii(link)) { pax.Add(("linkpath", Encoding.UTF8.GetBytes(link))); link = Truncate(link, 100); }
        if (e.Uid > 0x1FFFFF) pax.Add(("uid", Ascii(e.Uid)));
        if (e.Gid > 0x1FFFFF) pax.Add(("gid", Ascii(e.Gid)));
        if (e.Size > 0x1FFFFFFFF) pax.Add(("size", Ascii(e.Size)));
        if (e.MtimeSec is < 0 or > 0x1FFFFFFFF) pax.Add(("mtime", Ascii(e.MtimeSec)));
        if (e.Xattrs is not null)
            foreach (var (k, v) in e.Xattrs) pax.Add(("SCHILY.xattr." + k, v));
        if (pax.Count > 0)
        {
            pax.Sort((a, b) => string.CompareOrdinal(a.Item1, b.Item1));
            var body = PaxBody(pax);
            var ph = new TarEntry { Name = Truncate("PaxHeaders/" + Path.GetFileName(e.Name.TrimEnd('/')), 100), Type = TarEntry.PaxHeader, Mode = 0x1a4, Size = body.Length };
            WriteBlock(ph, ph.Name, "", "");
            _out.Write(body);
            WritePad(body.Length);
        }
        WriteBlock(e, name, prefix, link);
        _dataLeft = e.IsRegular ? e.Size : 0;
        _pad = (512 - (_dataLeft % 512)) % 512;
    }

    public void WriteData(ReadOnlySpan<byte> data)
    {
        if (data.Length > _dataLeft) throw new InvalidOperationException("tar: more data than the header's size");
        _out.Write(data);
        _dataLeft -= data.Length;
        if (_dataLeft == 0 && _pad > 0) { _out.Write(new byte[_pad]); _pad = 0; }
    }

    /// <summary>Two zero blocks end the archive.</summary>
    public void Finish() => _out.Write(new byte[1024]);

    void WritePad(long size)
    {
        long pad = (512 - (size % 512)) % 512;
        if (pad > 0) _out.Write(new byte[pad]);
    }

    void WriteBlock(TarEntry e, string name, string prefix, string link)
    {
        var h = _block.AsSpan();
        h.Clear();
        Put(h[..100], name);
        Octal(h.Slice(100, 8), e.Mode & 0x1FFFFF);
        Octal(h.Slice(108, 8), Math.Min(e.Uid, 0x1FFFFF));
        Octal(h.Slice(116, 8), Math.Min(e.Gid, 0x1FFFFF));
        Octal(h.Slice(124, 12), e.IsRegular || e.Type == TarEntry.PaxHeader ? Math.Min(e.Size, 0x1FFFFFFFF) : 0);
        Octal(h.Slice(136, 12), Math.Clamp(e.MtimeSec, 0, 0x1FFFFFFFF));
        h[156] = e.Type == TarEntry.RegularOld ? TarEntry.Regular : e.Type;
        Put(h.Slice(157, 100), link);
        "ustar\000"u8.CopyTo(h[257..]);
        Put(h.Slice(265, 32), e.Uname);
        Put(h.Slice(297, 32), e.Gname);
        if (e.Type is TarEntry.CharDevice or TarEntry.BlockDevice)
        {
            Octal(h.Slice(329, 8), e.DevMajor);
            Octal(h.Slice(337, 8), e.DevMinor);
        }
        Put(h.Slice(345, 155), prefix);
        h.Slice(148, 8).Fill((byte)' ');
        long sum = 0;
        foreach (var b in h) sum += b;
        Octal(h.Slice(148, 7), sum);
        h[155] = (byte)' ';
        _out.Write(h);
    }

    static bool FitsUstar(string full, out string name, out string prefix)
    {
        name = full; prefix = "";
        if (!IsAscii(full)) return false;
        if (full.Length <= 100) return true;
        for (int i = full.Length - 1; i > 0; i--)
        {
            if (full[i] != '/') continue;
            if (full.Length - i - 1 > 100) return false;
            if (i <= 155 && full.Length - i - 1 > 0) { prefix = full[..i]; name = full[(i + 1)..]; return true; }
        }
        return false;
    }

    static bool IsAscii(string s) { foreach (var c in s) if (c >= 0x80) return false; return true; }
    static string Truncate(string s, int max) { while (Encoding.UTF8.GetByteCount(s) > max) s = s[..^1]; return s; }
    static byte[] Ascii(long v) => Encoding.ASCII.GetBytes(v.ToString(System.Globalization.CultureInfo.InvariantCulture));

    static void Put(Span<byte> field, string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        bytes.AsSpan(0, Math.Min(bytes.Length, field.Length)).CopyTo(field);
    }

    static void Octal(Span<byte> field, long v)
    {
        // width-1 octal digits, zero padded, then NUL
        int digits = field.Length - 1;
        for (int i = digits - 1; i >= 0; i--) { field[i] = (byte)('0' + (v & 7)); v >>= 3; }
        field[digits] = 0;
    }

    static byte[] PaxBody(List<(string Key, byte[] Value)> records)
    {
        var ms = new MemoryStream();
        foreach (var (k, v) in records)
        {
            int rest = 1 + Encoding.UTF8.GetByteCount(k) + 1 + v.Length + 1; // " k=v\n"
            int len = rest + 1;
            while (len.ToString(System.Globalization.CultureInfo.InvariantCulture).Length + rest != len) len++;
            ms.Write(Encoding.ASCII.GetBytes(len.ToString(System.Globalization.CultureInfo.InvariantCulture) + " "));
            ms.Write(Encoding.UTF8.GetBytes(k + "="));
            ms.Write(v);
            ms.WriteByte((byte)'\n');
        }
        return ms.ToArray();
    }

    public void Dispose() { }
}
