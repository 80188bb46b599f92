using System.Buffers.Binary;
using System.Text;

namespace Skiff.Linux.Netlink;

/// <summary>
/// One rtnetlink request being built: the 16-byte nlmsghdr, the family header (ifinfomsg, ifaddrmsg or rtmsg) and
/// 4-byte-aligned attributes (rtattr), which may nest. Lengths are patched when the message is sent.
/// </summary>
public sealed class NetlinkMessage
{
    byte[] _buf = new byte[256];
    int _len;
    readonly Stack<int> _nests = new();

    public NetlinkMessage(ushort type, ushort flags)
    {
        Type = type;
        _len = 16;
        BinaryPrimitives.WriteUInt16LittleEndian(_buf.AsSpan(4), type);
        BinaryPrimitives.WriteUInt16LittleEndian(_buf.AsSpan(6), flags);
    }

    public ushort Type { get; }

    /// <summary>struct ifinfomsg: family, type, index, flags, change.</summary>
    public NetlinkMessage LinkHeader(int index, uint flags = 0, uint change = 0)
    {
        var s = Reserve(16);
        s.Clear();
        BinaryPrimitives.WriteInt32LittleEndian(s[4..], index);
        BinaryPrimitives.WriteUInt32LittleEndian(s[8..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(s[12..], change);
        return this;
    }

    /// <summary>struct ifaddrmsg: AF_INET, prefix length, flags, scope, index.</summary>
    public NetlinkMessage AddressHeader(byte prefixLen, int index)
    {
        var s = Reserve(8);
        s.Clear();
        s[0] = Rtnl.AF_INET;
        s[1] = prefixLen;
        BinaryPrimitives.WriteInt32LittleEndian(s[4..], index);
        return this;
    }

    /// <summary>struct rtmsg for an IPv4 unicast route in the main table.</summary>
    public NetlinkMessage RouteHeader(byte dstLen)
    {
        var s = Reserve(12);
        s.Clear();
        s[0] = Rtnl.AF_INET;
        s[1] = dstLen;
        s[4] = Rtnl.RT_TABLE_MAIN;
        s[5] = Rtnl.RTPROT_BOOT;
        s[6] = Rtnl.RT_SCOPE_UNIVERSE;
        s[7] = Rtnl.RTN_UNICAST;
        return this;
    }

    public NetlinkMessage Attr(ushort type, ReadOnlySpan<byte> value)
    {
        var s = Reserve(Align(4 + value.Length));
        s.Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(s, (ushort)(4 + value.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(s[2..], type);
        value.CopyTo(s[4..]);
        return this;
    }

    public NetlinkMessage Attr(ushort type, string value)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(value) + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        return Attr(type, bytes);
    }

    public NetlinkMessage Attr(ushort type, uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        return Attr(type, b);
    }

    /// <summary>Starts a nested attribute; raw bytes (e.g. the veth peer's ifinfomsg) may follow before its children.</summary>
    public NetlinkMessage Begin(ushort type)
    {
        _nests.Push(_len);
        var s = Reserve(4);
        BinaryPrimitives.WriteUInt16LittleEndian(s[2..], type);
        return this;
    }

    public NetlinkMessage End()
    {
        int start = _nests.Pop();
        BinaryPrimitives.WriteUInt16LittleEndian(_buf.AsSpan(start), (ushort)(_len - start));
        return this;
    }

    /// <summary>The finished message with its length and sequence number.</summary>
    internal ReadOnlySpan<byte> Finish(uint seq)
    {
        if (_nests.Count != 0) throw new InvalidOperationException("netlink message has an unclosed nested attribute");
        BinaryPrimitives.WriteUInt32LittleEndian(_buf, (uint)_len);
        BinaryPrimitives.WriteUInt32LittleEndian(_buf.AsSpan(8), seq);
        return _buf.AsSpan(0, _len);
    }

    Span<byte> Reserve(int n)
    {
        if (_len + n > _buf.Length) Array.Resize(ref _buf, Math.Max(_buf.Length * 2, _len + n));
        var s = _buf.AsSpan(_len, n);
        _len += n;
        return s;
    }

    internal static int Align(int n) => (n + 3) & ~3;
}
