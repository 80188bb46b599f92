using System.Security.Cryptography;
using Skiff.Linux;
using Skiff.Linux.Netlink;

namespace Skiff.Engine.Networking;

/// <summary>A network's Linux bridge: created with the gateway address on first use, and the sysctls it relies on.</summary>
static class BridgeDevice
{
    /// <summary>Makes sure the bridge exists, carries the gateway address and is up; true when it was created now.</summary>
    public static bool Ensure(NetlinkSocket host, NetworkRecord n)
    {
        bool created = false;
        if (!host.Exists(n.Bridge))
        {
            var mac = RandomNumberGenerator.GetBytes(6);
            mac[0] = (byte)((mac[0] & 0xfe) | 0x02);
            host.CreateBridge(n.Bridge, n.Mtu, mac);
            created = true;
        }
        try
        {
            var subnet = n.ParsedSubnet;
            try { host.AddAddress(n.Bridge, n.ParsedGateway.Bytes(), subnet.PrefixLength); }
            catch (LinuxException e) when (e.Errno == Errno.EEXIST) { }
            host.SetUp(n.Bridge);
            // Host → 127.0.0.1:<published port> is DNAT-ed onto this bridge; the kernel drops loopback-sourced packets
            // on other devices unless route_localnet is on (the masquerade rule then rewrites the source).
            WriteSysctl($"/proc/sys/net/ipv4/conf/{n.Bridge}/route_localnet", "1");
            if (!n.Internal) EnableForwarding();
        }
        catch when (created)
        {
            host.TryDeleteLink(n.Bridge);
            throw;
        }
        return created;
    }

    public static void EnableForwarding()
    {
        const string path = "/proc/sys/net/ipv4/ip_forward";
        if (File.ReadAllText(path).Trim() != "1") WriteSysctl(path, "1");
    }

    static void WriteSysctl(string path, string value)
    {
        try { Files.WriteText(path, value); }
        catch (LinuxException e) { throw new EngineException(EngineErrorKind.System, $"set sysctl {path[10..].Replace('/', '.')}={value}: {e.Message}", e); }
    }
}
