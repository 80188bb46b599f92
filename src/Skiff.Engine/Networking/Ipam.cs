using System.Globalization;

namespace Skiff.Engine.Networking;

/// <summary>
/// Address management: subnets for new networks from the pool (never overlapping another network or a route the
/// host already has), and container addresses inside a network. The allocation state is the network's endpoint
/// list, so an address is free again the moment its endpoint is removed.
/// </summary>
static class Ipam
{
    /// <summary>The requested address (`--ip`) when it is a free host address of the subnet, else the lowest free host
    /// address (the gateway, network and broadcast addresses excluded).</summary>
    public static Ipv4Address AllocateAddress(NetworkRecord network, string? requested = null)
    {
        var subnet = network.ParsedSubnet;
        var used = new HashSet<uint> { network.ParsedGateway.Value };
        foreach (var e in network.Endpoints.Values)
            if (Ipv4Address.TryParse(e.IPAddress, out var a)) used.Add(a.Value);
        if (!string.IsNullOrEmpty(requested))
        {
            var want = CheckRequested(network, requested);
            if (used.Contains(want.Value)) throw EngineException.Conflict("Address already in use");
            return want;
        }
        for (uint v = subnet.FirstHost.Value; v <= subnet.LastHost.Value; v++)
            if (!used.Contains(v)) return new Ipv4Address(v);
        throw EngineException.Conflict($"no available IPv4 addresses on this network's address pools: {network.Name} ({network.Id})");
    }

    /// <summary>docker's checks of a static address: an IPv4 address, inside the network's subnet, a host address.</summary>
    public static Ipv4Address CheckRequested(NetworkRecord network, string requested)
    {
        if (!Ipv4Address.TryParse(requested, out var want) || want.Value == 0)
            throw EngineException.Invalid($"invalid endpoint settings:\ninvalid IPv4 address: {requested}");
        var subnet = network.ParsedSubnet;
        if (!subnet.Contains(want))
            throw EngineException.Invalid($"invalid endpoint settings:\nno configured subnet contains IP address {requested}");
        if (want == subnet.Network || want == subnet.Broadcast)
            throw EngineException.Invalid($"invalid endpoint settings:\n{requested} is the network or broadcast address of subnet {subnet}");
        return want;
    }

    /// <summary>The first /prefix block of <paramref name="pool"/> that overlaps nothing in <paramref name="taken"/>.</summary>
    public static Ipv4Subnet PickSubnet(Ipv4Subnet pool, int prefix, IReadOnlyCollection<Ipv4Subnet> taken)
    {
        if (prefix < pool.PrefixLength || prefix > 30) throw EngineException.Invalid($"invalid network pool block size /{prefix} for pool {pool}");
        ulong step = 1UL << (32 - prefix);
        for (ulong v = pool.Network.Value; v <= pool.Broadcast.Value; v += step)
        {
            var candidate = new Ipv4Subnet(new Ipv4Address((uint)v), prefix);
            if (!taken.Any(t => t.Overlaps(candidate))) return candidate;
        }
        throw EngineException.Conflict($"all predefined address pools have been fully subnetted (pool {pool})");
    }

    /// <summary>IPv4 routes of the host's main table (not the default route): subnets a new network must not shadow.</summary>
    public static List<(Ipv4Subnet Subnet, string Device)> HostRoutes()
    {
        var list = new List<(Ipv4Subnet, string)>();
        string[] lines;
        try { lines = File.ReadAllLines("/proc/net/route"); }
        catch (IOException) { return list; }
        foreach (var line in lines.Skip(1))
        {
            var f = line.Split('\t', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (f.Length < 8) continue;
            if (!uint.TryParse(f[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var dst)
                || !uint.TryParse(f[7], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var mask) || mask == 0) continue;
            uint d = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(dst);
            uint m = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(mask);
            int prefix = System.Numerics.BitOperations.PopCount(m);
            list.Add((new Ipv4Subnet(new Ipv4Address(d & m), prefix), f[0]));
        }
        return list;
    }
}
