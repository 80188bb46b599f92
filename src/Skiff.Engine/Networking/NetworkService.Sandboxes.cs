using System.Security.Cryptography;
using Skiff.Linux;
using Skiff.Linux.Netlink;

namespace Skiff.Engine.Networking;

public sealed partial class NetworkService
{
    static readonly Lock PrepareLock = new();
    static readonly HashSet<string> PreparedDirs = [];

    string NetnsDir => Path.Combine(_roots.RunRoot, "netns");

    /// <summary>Where a container's network namespace is pinned (the OCI spec's network namespace path).</summary>
    public string SandboxPath(string containerId) => Path.Combine(NetnsDir, containerId);

    /// <summary>A new network namespace for the container with only `lo` (up): --network none, or the start of any other.</summary>
    public Sandbox CreateSandbox(string containerId)
    {
        CheckId(containerId);
        lock (PrepareLock)
            if (PreparedDirs.Add(NetnsDir)) NetworkNamespace.PrepareDirectory(NetnsDir);
        var path = SandboxPath(containerId);
        if (NetworkNamespace.IsMounted(path)) throw EngineException.Conflict($"network sandbox for container {containerId} already exists at {path}");
        NetworkNamespace.Remove(path); // a stale file left by a crash (not a mounted namespace)
        try { NetworkNamespace.Create(path); }
        catch (LinuxException e) { throw new EngineException(EngineErrorKind.System, $"create network namespace {path}: {e.Message}", e); }
        return new Sandbox(containerId, path);
    }

    /// <summary>
    /// Attaches the container's sandbox to a network: an address from the network's subnet, a veth pair (host side
    /// `veth&lt;8 hex&gt;` on the bridge, container side eth0/eth1/… created directly inside the sandbox), the default
    /// route (first network), published ports. Any failure undoes everything this call did.
    /// </summary>
    public EndpointInfo Connect(string containerId, string network, ConnectRequest request)
    {
        CheckId(containerId);
        if (network is "host" or "none")
            throw EngineException.Invalid($"container cannot be connected to network \"{network}\": it is chosen at create time (--network {network})");
        if (string.IsNullOrEmpty(network)) network = DefaultNetworkName;
        var path = SandboxPath(containerId);
        if (!NetworkNamespace.IsMounted(path))
            throw EngineException.NotFound($"network sandbox for container {containerId} not found at {path} (CreateSandbox first)");
        var ports = CheckPorts(request.Ports);

        using var _ = _store.Lock();
        var all = EnsureDefault();
        var n = Find(all, network);
        if (n.Endpoints.ContainsKey(containerId))
            throw EngineException.Conflict($"endpoint with name {Display(request.ContainerName, containerId)} already exists in network {n.Name}");
        CheckPortsFree(all, ports);
        foreach (var p in ports) p.HostPort = HostPorts.Probe(p);

        CheckEndpointSettings(n, request.IPAddress, request.Aliases);
        var ip = Ipam.AllocateAddress(n, request.IPAddress);
        var mac = RandomNumberGenerator.GetBytes(6);
        mac[0] = (byte)((mac[0] & 0xfe) | 0x02);
        var mine = all.Where(r => r.Endpoints.ContainsKey(containerId)).Select(r => r.Endpoints[containerId]).ToList();
        var ifname = Enumerable.Range(0, 64).Select(i => $"eth{i}").First(name => mine.All(e => e.Interface != name));
        string hostVeth;
        var host = Host;
        do hostVeth = "veth" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)); while (host.Exists(hostVeth));

        BridgeDevice.Ensure(host, n);
        try
        {
            using (var ns = NetworkNamespace.Open(path))
                host.CreateVeth(hostVeth, ifname, ns.Value, n.Mtu, mac);
            host.SetMaster(hostVeth, n.Bridge);
            host.SetUp(hostVeth);
            using (var inside = NetworkNamespace.OpenSocket(path))
            {
                inside.AddAddress(ifname, ip.Bytes(), n.ParsedSubnet.PrefixLength);
                inside.SetUp(ifname);
                if (!n.Internal && !mine.Any(e => HasGateway(all, e)))
                    inside.AddDefaultRoute(n.ParsedGateway.Bytes());
            }
            try
            {
                var step = $"connect {Display(request.ContainerName, containerId)} to network {n.Name}";
                if (!RulesCurrent(n))
                {
                    _nft.Apply(AllRulesStatements(all) + _nft.PublishStatements(ip.ToString(), ports), step);
                    n.RulesBootId = RulesStamp;
                }
                else if (ports.Count > 0) _nft.Publish(ip.ToString(), ports, step);
            }
            catch (NftablesException e) when (e.AlreadyExists && ports.Count > 0)
            {
                throw EngineException.Conflict($"driver failed programming external connectivity on endpoint {Display(request.ContainerName, containerId)}: " +
                    $"Bind for {string.Join(", ", ports.Select(p => $"{(p.AnyHostIp ? "0.0.0.0" : p.HostIp)}:{p.HostPort}"))} failed: port is already allocated");
            }
            var endpoint = new EndpointRecord
            {
                ContainerId = containerId, ContainerName = request.ContainerName, Hostname = request.Hostname,
                Aliases = [.. request.Aliases], EndpointId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
                IPAddress = ip.ToString(), MacAddress = FormatMac(mac), HostVeth = hostVeth, Interface = ifname, Ports = ports,
            };
            n.Endpoints[containerId] = endpoint;
            try { _store.Save(n); }
            catch
            {
                n.Endpoints.Remove(containerId);
                _nft.Unpublish(ports);
                throw;
            }
            RefreshPeers(all, n, containerId);
            return new EndpointInfo(n.Id, n.Name, endpoint.EndpointId, endpoint.IPAddress, n.ParsedSubnet.PrefixLength,
                n.Internal ? "" : n.Gateway, endpoint.MacAddress, hostVeth, ifname, ports);
        }
        catch
        {
            host.TryDeleteLink(hostVeth);
            throw;
        }
    }

    /// <summary>Detaches the container from one network (veth, published ports, address released).</summary>
    public void Disconnect(string containerId, string network)
    {
        using var _ = _store.Lock();
        var all = EnsureDefault();
        var n = Find(all, network);
        if (!n.Endpoints.ContainsKey(containerId))
            throw EngineException.NotFound($"container {containerId} is not connected to network {n.Name}");
        RemoveEndpoint(all, n, containerId);
    }

    /// <summary>`network disconnect -f` for a container the engine no longer knows: the endpoint named
    /// <paramref name="container"/> (its container name, id or id prefix) is removed from the network.</summary>
    public void ForceDisconnect(string network, string container)
    {
        using var _ = _store.Lock();
        var all = EnsureDefault();
        var n = Find(all, network);
        var e = n.Endpoints.Values.FirstOrDefault(x => x.ContainerName == container)
                ?? n.Endpoints.Values.SingleOrDefault(x => container.Length > 0 && x.ContainerId.StartsWith(container, StringComparison.Ordinal))
                ?? throw EngineException.NotFound($"endpoint {container} not found");
        RemoveEndpoint(all, n, e.ContainerId);
    }

    /// <summary>`rename` of a running container: its endpoints carry the new name and every hosts file that listed the
    /// old one (its peers' and its own) is rewritten in place.</summary>
    public void RenameEndpoints(string containerId, string newName)
    {
        using var _ = _store.Lock();
        var all = _store.All();
        var mine = all.Where(n => n.Endpoints.ContainsKey(containerId)).ToList();
        foreach (var n in mine)
        {
            n.Endpoints[containerId].ContainerName = newName;
            _store.Save(n);
            RefreshPeers(all, n, containerId);
        }
        var dir = mine.Select(n => n.Endpoints[containerId].FilesDir).FirstOrDefault(d => d is not null);
        if (dir is not null && File.Exists(Path.Combine(dir, "hosts")))
            HostsFile.WriteInPlace(Path.Combine(dir, "hosts"), HostsFile.Render(containerId, mine, null));
    }

    /// <summary>The host ports the container's endpoints publish now.</summary>
    public IReadOnlyList<PortBinding> PublishedPorts(string containerId)
    {
        using var _ = _store.Lock();
        return _store.All().Where(n => n.Endpoints.ContainsKey(containerId)).SelectMany(n => n.Endpoints[containerId].Ports).ToList();
    }

    /// <summary>Removes everything networking made for the container: endpoints on every network, published ports,
    /// veths, the namespace mount and file. Idempotent: safe to call again, or for a container that never had a sandbox.</summary>
    public void DestroySandbox(string containerId)
    {
        CheckId(containerId);
        using (_store.Lock())
        {
            var all = _store.All();
            foreach (var n in all.Where(r => r.Endpoints.ContainsKey(containerId)).ToList())
                RemoveEndpoint(all, n, containerId);
        }
        try { NetworkNamespace.Remove(SandboxPath(containerId)); }
        catch (LinuxException e) { throw new EngineException(EngineErrorKind.System, $"remove network namespace of {containerId}: {e.Message}", e); }
    }

    /// <summary>Ids of every container that has an endpoint on some network, so the engine can call
    /// <see cref="DestroySandbox"/> for ids it no longer knows (e.g. after a crash between Connect and its own record).</summary>
    public IReadOnlyList<string> ContainersWithEndpoints()
        => _store.All().SelectMany(n => n.Endpoints.Keys).Distinct().ToList();

    void RemoveEndpoint(List<NetworkRecord> all, NetworkRecord n, string containerId)
    {
        var e = n.Endpoints[containerId];
        Host.TryDeleteLink(e.HostVeth);
        if (e.Ports.Count > 0) _nft.Unpublish(e.Ports);
        n.Endpoints.Remove(containerId);
        _store.Save(n);
        RefreshPeers(all, n, containerId);
        var ownHosts = e.FilesDir is null ? null : Path.Combine(e.FilesDir, "hosts");
        var remaining = all.Where(r => r.Endpoints.ContainsKey(containerId)).ToList();
        if (ownHosts is not null && remaining.Count > 0 && File.Exists(ownHosts))
            HostsFile.WriteInPlace(ownHosts, HostsFile.Render(containerId, remaining, null));
        if (!n.Internal) RouteThroughRemaining(containerId, remaining);
    }

    /// <summary>The default route went with the interface of the network that was left: when the container is still on a
    /// non-internal network (and its sandbox exists), route through that network's gateway instead, as docker does.</summary>
    void RouteThroughRemaining(string containerId, List<NetworkRecord> remaining)
    {
        var next = remaining.FirstOrDefault(r => !r.Internal);
        var path = SandboxPath(containerId);
        if (next is null || !NetworkNamespace.IsMounted(path)) return;
        try
        {
            using var inside = NetworkNamespace.OpenSocket(path);
            inside.AddDefaultRoute(next.ParsedGateway.Bytes());
        }
        catch (LinuxException e) when (e.Errno == Errno.EEXIST) { }
    }

    /// <summary>docker's endpoint checks: a static address or aliases only on user-defined networks, the address an
    /// IPv4 host address inside the network's subnet.</summary>
    static void CheckEndpointSettings(NetworkRecord n, string? ip, IReadOnlyCollection<string> aliases)
    {
        bool staticIp = !string.IsNullOrEmpty(ip);
        if (n.IsDefault && staticIp)
            throw EngineException.Invalid("invalid endpoint settings:\nuser-specified IP address is supported on user-defined networks only");
        if (n.IsDefault && aliases.Count > 0)
            throw EngineException.Invalid("invalid endpoint settings:\nnetwork-scoped aliases are only supported for user-defined networks");
        if (staticIp) Ipam.CheckRequested(n, ip!);
    }

    /// <summary>Checks what a container not yet running asks of a network (`network connect` on a created container, `run
    /// --ip/--network-alias`) before it is recorded; the address itself is taken when the container starts.</summary>
    public NetworkInfo CheckEndpoint(string network, string? ip, IReadOnlyCollection<string> aliases)
    {
        using var _ = _store.Lock();
        var n = Find(EnsureDefault(), network);
        CheckEndpointSettings(n, ip, aliases);
        return ToInfo(n);
    }

    /// <summary>
    /// Writes the container's hosts and resolv.conf into <paramref name="dir"/> (the engine bind-mounts them) and
    /// remembers the directory so that peers joining or leaving its user-defined networks update its hosts file.
    /// </summary>
    public void WriteContainerFiles(string containerId, string dir, string? hostname = null)
    {
        using var _ = _store.Lock();
        var all = _store.All();
        foreach (var n in all.Where(r => r.Endpoints.TryGetValue(containerId, out var e) && e.FilesDir != dir))
        {
            n.Endpoints[containerId].FilesDir = dir;
            _store.Save(n);
        }
        var mine = all.Where(r => r.Endpoints.ContainsKey(containerId)).ToList();
        HostsFile.WriteInPlace(Path.Combine(dir, "hosts"), HostsFile.Render(containerId, mine, hostname));
        HostsFile.WriteInPlace(Path.Combine(dir, "resolv.conf"), ResolvConf.Render());
    }

    /// <summary>Rewrites (in place) the hosts file of every other container on <paramref name="changed"/> whose files are known.</summary>
    static void RefreshPeers(List<NetworkRecord> all, NetworkRecord changed, string exceptContainer)
    {
        if (changed.IsDefault) return;
        foreach (var peer in changed.Endpoints.Values)
        {
            if (peer.ContainerId == exceptContainer || peer.FilesDir is null) continue;
            var hosts = Path.Combine(peer.FilesDir, "hosts");
            if (!File.Exists(hosts)) continue;
            var theirs = all.Where(r => r.Endpoints.ContainsKey(peer.ContainerId)).Select(r => r.Id == changed.Id ? changed : r).ToList();
            HostsFile.WriteInPlace(hosts, HostsFile.Render(peer.ContainerId, theirs, null));
        }
    }

    static bool HasGateway(List<NetworkRecord> all, EndpointRecord e)
        => all.Any(r => r.Endpoints.TryGetValue(e.ContainerId, out var x) && x == e && !r.Internal);

    static List<PortBinding> CheckPorts(List<PortBinding> requested)
    {
        var list = new List<PortBinding>();
        foreach (var p in requested)
        {
            var proto = string.IsNullOrEmpty(p.Proto) ? "tcp" : p.Proto.ToLowerInvariant();
            if (proto is not ("tcp" or "udp")) throw EngineException.Invalid($"invalid port {p}: protocol must be tcp or udp");
            if (p.ContainerPort is < 1 or > 65535) throw EngineException.Invalid($"invalid port {p}: container port must be 1-65535");
            if (p.HostPort is < 0 or > 65535) throw EngineException.Invalid($"invalid port {p}: host port must be 0-65535");
            if (!p.AnyHostIp && !Ipv4Address.TryParse(p.HostIp, out _)) throw EngineException.Invalid($"invalid port {p}: host IP must be an IPv4 address");
            list.Add(new PortBinding { Proto = proto, HostIp = p.AnyHostIp ? "" : p.HostIp, HostPort = p.HostPort, ContainerPort = p.ContainerPort });
        }
        return list;
    }

    /// <summary>Refuses host ports another container (or an earlier binding of this request) already has.</summary>
    static void CheckPortsFree(List<NetworkRecord> all, List<PortBinding> ports)
    {
        var used = all.SelectMany(n => n.Endpoints.Values).SelectMany(e => e.Ports).ToList();
        foreach (var p in ports.Where(p => p.HostPort != 0))
        {
            bool clash = used.Any(u => u.Proto == p.Proto && u.HostPort == p.HostPort && (u.AnyHostIp || p.AnyHostIp || u.HostIp == p.HostIp));
            if (clash)
                throw EngineException.Conflict($"driver failed programming external connectivity: Bind for {(p.AnyHostIp ? "0.0.0.0" : p.HostIp)}:{p.HostPort} failed: port is already allocated");
            used.Add(p);
        }
    }

    static void CheckId(string containerId)
    {
        if (containerId.Length == 0 || containerId.Length > 128 || containerId.Contains('/') || containerId is "." or "..")
            throw EngineException.Invalid($"invalid container id \"{containerId}\"");
    }

    static string Display(string name, string id) => name.Length > 0 ? name : id[..Math.Min(12, id.Length)];

    static string FormatMac(byte[] mac) => string.Join(':', mac.Select(b => b.ToString("x2")));
}
