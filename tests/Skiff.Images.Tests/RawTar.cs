using System.Text;

namespace Skiff.Images.Tests;

/// <summary>Builds tar bytes header by header, so tests can write what no honest writer would.</summary>
public sealed class RawTar
{
    readonly MemoryStream _ms = new();

    /// <summary>A header; <paramref name="fill"/> may set more fields (checksum is computed after it).</summary>
    public RawTar Header(string name, char type, long size, bool gnuMagic = false, Action<byte[]>? fill = null)
    {
        var h = new byte[512];
        Encoding.ASCII.GetBytes(name).CopyTo(h, 0);
        Octal(h, 100, 8, 0x1a4);
        Octal(h, 108, 8, 0);
        Octal(h, 116, 8, 0);
        Octal(h, 124, 12, size);
        Octal(h, 136, 12, 1_600_000_000);
        h[156] = (byte)type;
        (gnuMagic ? "ustar  \0"u8 : "ustar\000"u8).CopyTo(h.AsSpan(257));
        fill?.Invoke(h);
        "        "u8.CopyTo(h.AsSpan(148));
        Octal(h, 148, 7, h.Sum(b => (long)b));
        _ms.Write(h);
        return this;
    }

    /// <summary>A PAX extended header ('x') holding <paramref name="records"/> in order.</summary>
    public RawTar Pax(params (string Key, string Value)[] records)
    {
        var body = new StringBuilder();
        foreach (var (k, v) in records)
        {
            var rec = $" {k}={v}\n";
            int len = rec.Length + 1;
            while ($"{len}".Length + rec.Length != len) len++;
            body.Append(len).Append(rec);
        }
        var bytes = Encoding.UTF8.GetBytes(body.ToString());
        return Header("PaxHeaders/x", 'x', bytes.Length).Data(bytes);
    }

    /// <summary>Bytes, padded to a block.</summary>
    public RawTar Data(byte[] bytes)
    {
        _ms.Write(bytes);
        _ms.Write(new byte[(512 - bytes.Length % 512) % 512]);
        return this;
    }

    public byte[] Build() { _ms.Write(new byte[1024]); return _ms.ToArray(); }

    public static void Octal(byte[] h, int at, int width, long v)
        => Encoding.ASCII.GetBytes(Convert.ToString(v, 8).PadLeft(width - 1, '0')).CopyTo(h, at);
}
