using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Skiff.Linux.Netlink;

namespace Skiff.Engine.Networking;

/// <summary>
/// Container networking: bridge networks with IPAM, one network namespace (sandbox) per container, a veth per
/// endpoint, NAT and published ports in nftables, hosts files for name resolution on user-defined networks.
/// Links, addresses and routes are made over rtnetlink from this process (no `ip` subprocess); rules are one
/// `nft -f -` batch per operation. State is &lt;DataRoot&gt;/networks/*.json under one flock, so several CLI
/// processes can work at once.
/// </summary>
public sealed partial class NetworkService : IDisposable
{
    public const string DefaultNetworkName = "bridge";
    const string BridgeNameOption = "com.docker.network.bridge.name";
    const string MtuOption = "com.docker.network.driver.mtu";

    readonly EngineRoots _roots;
    readonly NetworkStore _store;
    readonly Nftables _nft;
    NetlinkSocket? _host;
    readonly Lock _hostLock = new();

    public NetworkService(EngineRoots roots) : this(roots, NetworkOptions.FromEnvironment()) { }

    public NetworkService(EngineRoots roots, NetworkOptions options)
    {
        _roots = roots;
        Options = options;
        _store = new NetworkStore(Path.Combine(roots.DataRoot, "networks"));
        _nft = new Nftables(options.NftTable);
    }

    public NetworkOptions Options { get; }

    static readonly Lazy<string> BootIdValue = new(() => File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim());
    static string BootId => BootIdValue.Value;

    /// <summary>True when the network's rules were applied in this boot and the table is still there (one netlink
    /// query instead of running nft).</summary>
    bool RulesCurrent(NetworkRecord n)
    {
        return n.RulesBootId == RulesStamp && _nft.TableExists();
    }

    /// <summary>What <see cref="NetworkRecord.RulesBootId"/> holds once the rules are in place: this boot and the version of
    /// the fixed rules (a newer Skiff with changed rules re-applies them once instead of trusting an older table).</summary>
    static string RulesStamp => $"{BootId} rules-{Nftables.RulesVersion}";

    /// <summary>The table with its fixed rules and the elements of every network (not just the one at hand): rules that
    /// compare networks (isolation) must never see a bridge without its elements.</summary>
    string AllRulesStatements(IEnumerable<NetworkRecord> all)
        => _nft.BaseStatements() + string.Concat(all.Select(_nft.NetworkStatements));

    /// <summary>A route socket in the host's (this process's) network namespace.</summary>
    NetlinkSocket Host
    {
        get { lock (_hostLock) return _host ??= NetlinkSocket.Open(); }
    }

    public NetworkInfo Create(NetworkCreateRequest request)
    {
        var name = request.Name;
        if (!ValidName().IsMatch(name))
            throw EngineException.Invalid($"invalid network name \"{name}\": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        if (name is "host" or "none" or DefaultNetworkName)
            throw new EngineException(EngineErrorKind.Conflict, $"network with name {name} already exists (a pre-defined network)");
        if (request.Driver is not ("bridge" or ""))
            throw EngineException.Invalid($"network driver \"{request.Driver}\" is not supported: only \"bridge\" networks can be created");
        int mtu = Options.Mtu;
        if (request.Options.TryGetValue(MtuOption, out var mtuText) && (!int.TryParse(mtuText, out mtu) || mtu < 68 || mtu > 65535))
            throw EngineException.Invalid($"invalid option {MtuOption}=\"{mtuText}\": an MTU between 68 and 65535");

        using var _ = _store.Lock();
        var all = EnsureDefault();
        if (all.Any(n => n.Name == name)) throw EngineException.Conflict($"network with name {name} already exists");

        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var taken = all.Select(n => n.ParsedSubnet).ToList();
        Ipv4Subnet subnet;
        if (!string.IsNullOrEmpty(request.Subnet))
        {
            subnet = Ipv4Subnet.Parse(request.Subnet);
            var clash = all.FirstOrDefault(n => n.ParsedSubnet.Overlaps(subnet));
            if (clash is not null)
                throw EngineException.Conflict($"invalid pool request: Pool overlaps with other one on this address space (subnet {subnet} overlaps network {clash.Name}'s {clash.Subnet})");
        }
        else
        {
            if (!string.IsNullOrEmpty(request.Gateway)) throw EngineException.Invalid("--gateway needs --subnet");
            taken.AddRange(Ipam.HostRoutes().Select(r => r.Subnet));
            subnet = Ipam.PickSubnet(Ipv4Subnet.Parse(Options.Pool, "network pool"), Options.PoolPrefixLength, taken);
        }
        var gateway = subnet.FirstHost;
        if (!string.IsNullOrEmpty(request.Gateway))
        {
            gateway = Ipv4Address.Parse(request.Gateway, "gateway");
            if (!subnet.Contains(gateway) || gateway == subnet.Network || gateway == subnet.Broadcast)
                throw EngineException.Invalid($"invalid gateway {gateway}: not a host address of subnet {subnet}");
        }

        var bridge = request.Options.GetValueOrDefault(BridgeNameOption) ?? "skbr-" + id[..10];
        CheckBridgeName(bridge, all);
        var record = new NetworkRecord
        {
            Id = id, Name = name, Created = DateTime.UtcNow, Driver = "bridge", Subnet = subnet.ToString(),
            Gateway = gateway.ToString(), Bridge = bridge, Mtu = mtu, Internal = request.Internal,
            Labels = new(request.Labels), Options = new(request.Options),
        };
        bool created = BridgeDevice.Ensure(Host, record);
        try
        {
            _nft.Apply(AllRulesStatements(all.Append(record)), $"create network {name}");
            record.RulesBootId = RulesStamp;
            _store.Save(record);
        }
        catch
        {
            _nft.ApplyTolerant(_nft.RemoveNetworkStatements(record));
            if (created) Host.TryDeleteLink(bridge);
            throw;
        }
        return ToInfo(record);
    }

    /// <summary>Every network: the stored bridge networks (the default one created on first use), then host and none.</summary>
    public IReadOnlyList<NetworkInfo> List()
    {
        List<NetworkRecord> all;
        using (_store.Lock()) all = EnsureDefault();
        var list = all.Select(ToInfo).ToList();
        list.Add(Predefined("host"));
        list.Add(Predefined("none"));
        return list;
    }

    /// <summary>By name, id or unique id prefix; throws NotFound ("network x not found", as docker).</summary>
    public NetworkInfo Get(string nameOrId)
    {
        if (nameOrId is "host" or "none") return Predefined(nameOrId);
        if (nameOrId == Predefined("host").Id) return Predefined("host");
        if (nameOrId == Predefined("none").Id) return Predefined("none");
        using var _ = _store.Lock();
        return ToInfo(Find(EnsureDefault(), nameOrId));
    }

    public void Remove(string nameOrId)
    {
        if (nameOrId is "host" or "none" or DefaultNetworkName)
            throw new EngineException(EngineErrorKind.Conflict, $"{nameOrId} is a pre-defined network and cannot be removed");
        using var _ = _store.Lock();
        var n = Find(_store.All(), nameOrId);
        if (n.IsDefault) throw new EngineException(EngineErrorKind.Conflict, $"{n.Name} is a pre-defined network and cannot be removed");
        if (n.Endpoints.Count > 0)
            throw EngineException.Conflict($"error while removing network: network {n.Name} id {n.Id} has active endpoints ({string.Join(", ", n.Endpoints.Values.Select(e => e.ContainerName.Length > 0 ? e.ContainerName : e.ContainerId[..12]))})");
        RemoveDevices(n);
        _store.Delete(n.Id);
    }

    /// <summary>Removes every user-defined network without endpoints; returns their names.</summary>
    public IReadOnlyList<string> Prune()
    {
        using var _ = _store.Lock();
        var removed = new List<string>();
        foreach (var n in _store.All())
        {
            if (n.IsDefault || n.Endpoints.Count > 0) continue;
            RemoveDevices(n);
            _store.Delete(n.Id);
            removed.Add(n.Name);
        }
        return removed;
    }

    void RemoveDevices(NetworkRecord n)
    {
        _nft.ApplyTolerant(_nft.RemoveNetworkStatements(n));
        Host.TryDeleteLink(n.Bridge);
    }

    /// <summary>Looks a network up in <paramref name="all"/> (loaded under the lock).</summary>
    static NetworkRecord Find(List<NetworkRecord> all, string nameOrId)
        => NetworkStore.Find(all, nameOrId) ?? throw EngineException.NotFound($"network {nameOrId} not found");

    /// <summary>All stored networks, with the default `bridge` network record created if missing. Call under the lock.</summary>
    List<NetworkRecord> EnsureDefault()
    {
        var all = _store.All();
        if (all.Any(n => n.IsDefault)) return all;
        var subnet = Ipv4Subnet.Parse(Options.DefaultSubnet, "default subnet (SKIFF_DEFAULT_SUBNET)");
        CheckBridgeName(Options.DefaultBridge, all);
        var record = new NetworkRecord
        {
            Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), Name = DefaultNetworkName, IsDefault = true,
            Created = DateTime.UtcNow, Driver = "bridge", Subnet = subnet.ToString(), Gateway = subnet.FirstHost.ToString(),
            Bridge = Options.DefaultBridge, Mtu = Options.Mtu,
            Options = new()
            {
                ["com.docker.network.bridge.default_bridge"] = "true",
                ["com.docker.network.bridge.enable_ip_masquerade"] = "true",
                ["com.docker.network.bridge.name"] = Options.DefaultBridge,
                [MtuOption] = Options.Mtu.ToString(),
            },
        };
        _store.Save(record);
        all.Insert(0, record);
        return all;
    }

    static void CheckBridgeName(string bridge, List<NetworkRecord> all)
    {
        if (!ValidBridge().IsMatch(bridge))
            throw EngineException.Invalid($"invalid bridge name \"{bridge}\": 1 to 15 characters of [a-zA-Z0-9_.-]");
        var user = all.FirstOrDefault(n => n.Bridge == bridge);
        if (user is not null) throw EngineException.Conflict($"bridge device {bridge} is already used by network {user.Name}");
    }

    static NetworkInfo ToInfo(NetworkRecord n) => new()
    {
        Name = n.Name, Id = n.Id, Created = n.Created.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'"),
        Driver = n.Driver, Internal = n.Internal,
        IPAM = new NetworkIpam { Config = [new NetworkIpamConfig { Subnet = n.Subnet, Gateway = n.Gateway }] },
        Containers = n.Endpoints.ToDictionary(e => e.Key, e => new NetworkContainer
        {
            Name = e.Value.ContainerName, EndpointID = e.Value.EndpointId, MacAddress = e.Value.MacAddress,
            IPv4Address = $"{e.Value.IPAddress}/{n.ParsedSubnet.PrefixLength}",
        }),
        Options = new(n.Options), Labels = new(n.Labels), Bridge = n.Bridge,
    };

    static NetworkInfo Predefined(string name) => new()
    {
        Name = name, Id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("skiff predefined network " + name))),
        Created = "0001-01-01T00:00:00Z", Driver = name == "none" ? "null" : "host",
        IPAM = new NetworkIpam(), EnableIPv4 = name == "host",
    };

    public void Dispose()
    {
        _host?.Dispose();
        _nft.Dispose();
    }

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")] private static partial Regex ValidName();
    [GeneratedRegex("^[a-zA-Z0-9_.-]{1,15}$")] private static partial Regex ValidBridge();
}
