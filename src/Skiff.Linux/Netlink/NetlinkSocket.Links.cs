using System.Buffers.Binary;

namespace Skiff.Linux.Netlink;

/// <summary>Link operations (ip link add/set/del) as RTM_NEWLINK / RTM_SETLINK / RTM_DELLINK requests.</summary>
public sealed partial class NetlinkSocket
{
    const ushort Create = Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK | Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL;
    const ushort Change = Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK;

    /// <summary>ip link add NAME type bridge [mtu M] [address MAC]</summary>
    public void CreateBridge(string name, int mtu = 0, ReadOnlySpan<byte> mac = default)
    {
        CheckName(name);
        var m = new NetlinkMessage(Rtnl.RTM_NEWLINK, Create).LinkHeader(0).Attr(Rtnl.IFLA_IFNAME, name);
        if (mtu > 0) m.Attr(Rtnl.IFLA_MTU, (uint)mtu);
        if (mac.Length == 6) m.Attr(Rtnl.IFLA_ADDRESS, mac);
        m.Begin(Rtnl.IFLA_LINKINFO).Attr(Rtnl.IFLA_INFO_KIND, "bridge").End();
        Request(m, "create bridge", name);
    }

    /// <summary>
    /// ip link add NAME type veth peer name PEER netns FD: the peer is born inside the namespace behind
    /// <paramref name="peerNamespaceFd"/> (-1: this socket's namespace), so it never appears on the host.
    /// </summary>
    public void CreateVeth(string name, string peerName, int peerNamespaceFd = -1, int mtu = 0, ReadOnlySpan<byte> peerMac = default)
    {
        CheckName(name);
        CheckName(peerName);
        var m = new NetlinkMessage(Rtnl.RTM_NEWLINK, Create).LinkHeader(0).Attr(Rtnl.IFLA_IFNAME, name);
        if (mtu > 0) m.Attr(Rtnl.IFLA_MTU, (uint)mtu);
        m.Begin(Rtnl.IFLA_LINKINFO).Attr(Rtnl.IFLA_INFO_KIND, "veth")
            .Begin(Rtnl.IFLA_INFO_DATA).Begin(Rtnl.VETH_INFO_PEER).LinkHeader(0).Attr(Rtnl.IFLA_IFNAME, peerName);
        if (mtu > 0) m.Attr(Rtnl.IFLA_MTU, (uint)mtu);
        if (peerMac.Length == 6) m.Attr(Rtnl.IFLA_ADDRESS, peerMac);
        if (peerNamespaceFd >= 0) m.Attr(Rtnl.IFLA_NET_NS_FD, (uint)peerNamespaceFd);
        m.End().End().End();
        Request(m, "create veth", name);
    }

    /// <summary>ip link set NAME up|down</summary>
    public void SetUp(string name, bool up = true)
        => Request(new NetlinkMessage(Rtnl.RTM_NEWLINK, Change).LinkHeader(0, up ? Rtnl.IFF_UP : 0, Rtnl.IFF_UP)
            .Attr(Rtnl.IFLA_IFNAME, name), up ? "set link up" : "set link down", name);

    /// <summary>ip link set NAME master BRIDGE</summary>
    public void SetMaster(string name, string bridge)
    {
        int index = IndexOf(bridge);
        Request(ByName(name).Attr(Rtnl.IFLA_MASTER, (uint)index), $"set master {bridge}", name);
    }

    /// <summary>ip link set NAME netns FD</summary>
    public void MoveToNamespace(string name, int namespaceFd)
        => Request(ByName(name).Attr(Rtnl.IFLA_NET_NS_FD, (uint)namespaceFd), "move link to namespace", name);

    /// <summary>ip link set NAME name NEWNAME (the link must be down)</summary>
    public void Rename(string name, string newName)
    {
        CheckName(newName);
        int index = IndexOf(name);
        Request(new NetlinkMessage(Rtnl.RTM_NEWLINK, Change).LinkHeader(index).Attr(Rtnl.IFLA_IFNAME, newName), $"rename link to {newName}", name);
    }

    /// <summary>ip link set NAME address MAC</summary>
    public void SetMac(string name, ReadOnlySpan<byte> mac)
    {
        if (mac.Length != 6) throw new ArgumentException("a MAC address has 6 bytes", nameof(mac));
        Request(ByName(name).Attr(Rtnl.IFLA_ADDRESS, mac), "set link address", name);
    }

    /// <summary>ip link set NAME mtu M</summary>
    public void SetMtu(string name, int mtu) => Request(ByName(name).Attr(Rtnl.IFLA_MTU, (uint)mtu), "set link mtu", name);

    /// <summary>ip link del NAME</summary>
    public void DeleteLink(string name)
        => Request(new NetlinkMessage(Rtnl.RTM_DELLINK, Change).LinkHeader(0).Attr(Rtnl.IFLA_IFNAME, name), "delete link", name);

    /// <summary>Deletes the link if it exists; false when there was none.</summary>
    public bool TryDeleteLink(string name)
    {
        try { DeleteLink(name); return true; }
        catch (LinuxException e) when (e.Errno is Errno.ENODEV or Errno.ENOENT) { return false; }
    }

    /// <summary>The interface index of NAME (RTM_GETLINK by name).</summary>
    public int IndexOf(string name)
    {
        var reply = Query(new NetlinkMessage(Rtnl.RTM_GETLINK, Change).LinkHeader(0).Attr(Rtnl.IFLA_IFNAME, name), "get link", name);
        if (reply.Length < 16) throw new LinuxException("get link", name, Errno.EIO, "short RTM_NEWLINK reply");
        return BinaryPrimitives.ReadInt32LittleEndian(reply.AsSpan(4));
    }

    /// <summary>True when a link called NAME exists in this socket's namespace.</summary>
    public bool Exists(string name)
    {
        try { IndexOf(name); return true; }
        catch (LinuxException e) when (e.Errno is Errno.ENODEV or Errno.ENOENT) { return false; }
    }

    static NetlinkMessage ByName(string name)
        => new NetlinkMessage(Rtnl.RTM_NEWLINK, Change).LinkHeader(0).Attr(Rtnl.IFLA_IFNAME, name);

    static void CheckName(string name)
    {
        if (name.Length == 0 || name.Length > Rtnl.MaxNameLength || name.Contains('/') || name.Contains(' ') || name is "." or "..")
            throw new ArgumentException($"invalid interface name \"{name}\": 1 to {Rtnl.MaxNameLength} characters, no '/' or spaces");
    }
}
