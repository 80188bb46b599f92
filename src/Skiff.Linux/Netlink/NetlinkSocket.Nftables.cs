namespace Skiff.Linux.Netlink;

/// <summary>The one nf_tables query Skiff makes itself (rules are written with `nft`): does a table exist?</summary>
public sealed partial class NetlinkSocket
{
    public const int NETLINK_NETFILTER = 12;
    const ushort NFNL_SUBSYS_NFTABLES = 10, NFT_MSG_GETTABLE = 1, NFTA_TABLE_NAME = 1;
    public const byte NFPROTO_IPV4 = 2;

    /// <summary>True when table <paramref name="name"/> of <paramref name="family"/> exists (needs a NETLINK_NETFILTER socket).</summary>
    public bool NftTableExists(string name, byte family = NFPROTO_IPV4)
    {
        var m = new NetlinkMessage(NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_GETTABLE, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK)
            .Header([family, 0, 0, 0]).Attr(NFTA_TABLE_NAME, name);
        try
        {
            Query(m, "get nftables table", name);
            return true;
        }
        catch (LinuxException e) when (e.Errno == Errno.ENOENT) { return false; }
    }
}
