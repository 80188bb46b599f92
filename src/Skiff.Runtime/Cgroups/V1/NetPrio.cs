using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Cgroups.V1;

/// <summary>The v1 net_prio controller: one "ifname priority" write to net_prio.ifpriomap per interface.</summary>
internal static class NetPrio
{
    public static void Set(string dir, List<InterfacePriority> priorities)
    {
        foreach (var p in priorities)
        {
            if (string.IsNullOrEmpty(p.Name) || p.Name.Contains(' ') || p.Name.Contains('\n'))
                throw new CgroupException("net_prio", $"invalid interface name \"{p.Name}\"");
            CgroupFile.Write("net_prio", dir, "net_prio.ifpriomap", $"{p.Name} {p.Priority}");
        }
    }
}
