namespace Skiff.Linux.Netlink;

/// <summary>Addresses and routes (ip addr add, ip route add default).</summary>
public sealed partial class NetlinkSocket
{
    /// <summary>ip addr add ADDRESS/PREFIX brd + dev NAME (IPv4; address as 4 bytes in network order).</summary>
    public void AddAddress(string name, ReadOnlySpan<byte> address, int prefixLength)
    {
        if (address.Length != 4) throw new ArgumentException("an IPv4 address has 4 bytes", nameof(address));
        int index = IndexOf(name);
        Span<byte> broadcast = stackalloc byte[4];
        uint a = (uint)(address[0] << 24 | address[1] << 16 | address[2] << 8 | address[3]);
        uint mask = prefixLength == 0 ? 0 : uint.MaxValue << (32 - prefixLength);
        uint b = a | ~mask;
        broadcast[0] = (byte)(b >> 24); broadcast[1] = (byte)(b >> 16); broadcast[2] = (byte)(b >> 8); broadcast[3] = (byte)b;
        var m = new NetlinkMessage(Rtnl.RTM_NEWADDR, Create).AddressHeader((byte)prefixLength, index)
            .Attr(Rtnl.IFA_LOCAL, address).Attr(Rtnl.IFA_ADDRESS, address);
        if (prefixLength < 31) m.Attr(Rtnl.IFA_BROADCAST, broadcast);
        Request(m, $"add address {a >> 24}.{(a >> 16) & 255}.{(a >> 8) & 255}.{a & 255}/{prefixLength}", name);
    }

    /// <summary>ip route add default via GATEWAY (the gateway must be reachable on a connected link).</summary>
    public void AddDefaultRoute(ReadOnlySpan<byte> gateway)
    {
        if (gateway.Length != 4) throw new ArgumentException("an IPv4 address has 4 bytes", nameof(gateway));
        var m = new NetlinkMessage(Rtnl.RTM_NEWROUTE, Create).RouteHeader(0).Attr(Rtnl.RTA_GATEWAY, gateway);
        Request(m, $"add default route via {gateway[0]}.{gateway[1]}.{gateway[2]}.{gateway[3]}", null);
    }
}
