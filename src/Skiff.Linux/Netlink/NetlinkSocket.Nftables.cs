namespace Skiff.Linux.Netlink;

/// <summary>
/// The nf_tables operations Skiff makes itself (the table and its rules are written with `nft`): does a table exist,
/// and add/remove elements of a set or map, each as one nf_tables transaction.
/// </summary>
public sealed partial class NetlinkSocket
{
    public const int NETLINK_NETFILTER = 12;
    const ushort NFNL_SUBSYS_NFTABLES = 10, NFT_MSG_GETTABLE = 1, NFT_MSG_NEWSETELEM = 12, NFT_MSG_DELSETELEM = 14;
    const ushort NFTA_TABLE_NAME = 1;
    const ushort NFTA_SET_ELEM_LIST_TABLE = 1, NFTA_SET_ELEM_LIST_SET = 2, NFTA_SET_ELEM_LIST_ELEMENTS = 3;
    const ushort NFTA_LIST_ELEM = 1, NFTA_SET_ELEM_KEY = 1, NFTA_SET_ELEM_DATA = 2, NFTA_DATA_VALUE = 1;
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

    /// <summary>
    /// `nft create element` (exclusive: EEXIST if a key is already there) of map/set elements, all in one
    /// transaction. Keys and values are the kernel's encoding: concatenated fields each padded to 4 bytes.
    /// </summary>
    public void NftCreateElements(string table, string set, IReadOnlyList<(byte[] Key, byte[]? Data)> elements, byte family = NFPROTO_IPV4)
        => NftElements(NFT_MSG_NEWSETELEM, Rtnl.NLM_F_CREATE | Rtnl.NLM_F_EXCL, table, set, elements, family, "create nftables element");

    /// <summary>`nft delete element` of one key (ENOENT if it is not there).</summary>
    public void NftDeleteElement(string table, string set, byte[] key, byte family = NFPROTO_IPV4)
        => NftElements(NFT_MSG_DELSETELEM, 0, table, set, [(key, null)], family, "delete nftables element");

    void NftElements(ushort msg, ushort flags, string table, string set, IReadOnlyList<(byte[] Key, byte[]? Data)> elements, byte family, string op)
    {
        var m = new NetlinkMessage((ushort)(NFNL_SUBSYS_NFTABLES << 8 | msg), (ushort)(Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK | flags))
            .Header([family, 0, 0, 0])
            .Attr(NFTA_SET_ELEM_LIST_TABLE, table).Attr(NFTA_SET_ELEM_LIST_SET, set)
            .Begin(NFTA_SET_ELEM_LIST_ELEMENTS, true);
        foreach (var (key, data) in elements)
        {
            m.Begin(NFTA_LIST_ELEM, true).Begin(NFTA_SET_ELEM_KEY, true).Attr(NFTA_DATA_VALUE, key).End();
            if (data is not null) m.Begin(NFTA_SET_ELEM_DATA, true).Attr(NFTA_DATA_VALUE, data).End();
            m.End();
        }
        m.End();
        RequestBatch(m, NFNL_SUBSYS_NFTABLES, op, $"{table} {set}");
    }
}
