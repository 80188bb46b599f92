using Skiff.Engine.Networking;
using Skiff.Shim.Protocol;

namespace Skiff.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>A sandbox (own network namespace, loopback up) from the network service; unless --network none, connected
    /// to every network the record lists (the --network one first, with the published ports; then those added by `network
    /// connect` while the container was not running), each with its aliases and requested address. The hosts/resolv.conf
    /// files then come from the network service so peers on user networks find each other by name.</summary>
    string? ConnectSandbox(ContainerRecord rec)
    {
        var net = _engine.Networks;
        net.DestroySandbox(rec.Id); // debris of a crashed start
        var sb = net.CreateSandbox(rec.Id);
        rec.Own.NetnsPath = sb.Path;
        var ns = rec.NetworkSettings;
        ns.SandboxKey = sb.Path;
        ns.SandboxID = rec.Id;
        var mode = rec.HostConfig.NetworkMode;
        if (mode == "none") return sb.Path;
        var ports = new List<Networking.PortBinding>();
        foreach (var (key, binds) in rec.HostConfig.PortBindings ?? [])
        {
            var slash = key.IndexOf('/');
            int cport = int.Parse(slash < 0 ? key : key[..slash]);
            var proto = slash < 0 ? "tcp" : key[(slash + 1)..];
            foreach (var b in binds)
                ports.Add(new Networking.PortBinding { Proto = proto, HostIp = b.HostIp, HostPort = string.IsNullOrEmpty(b.HostPort) ? 0 : int.Parse(b.HostPort), ContainerPort = cport });
        }
        foreach (var key in ns.Ports.Keys.ToList()) ns.Ports[key] = null;
        var wanted = ns.Networks.ToList();
        int primary = wanted.FindIndex(kv => kv.Key == mode);
        if (primary < 0) primary = wanted.FindIndex(kv => kv.Value.NetworkID.Length > 0 && kv.Value.NetworkID.StartsWith(mode, StringComparison.Ordinal));
        if (primary > 0) (wanted[0], wanted[primary]) = (wanted[primary], wanted[0]);
        ns.Networks.Clear();
        try
        {
            for (int i = 0; i < wanted.Count; i++)
            {
                var (name, settings) = wanted[i];
                // The id when known: a network removed and made again under the same name is not joined in its place.
                var target = settings.NetworkID.Length > 0 ? settings.NetworkID : name;
                var ep = net.Connect(rec.Id, target, new ConnectRequest
                {
                    ContainerName = rec.PlainName, Hostname = rec.Config.Hostname, Aliases = settings.Aliases ?? [],
                    IPAddress = settings.IPAMConfig?.IPv4Address, Ports = i == 0 ? ports : [],
                });
                ns.Networks[ep.NetworkName] = Endpoint(rec, ep, settings);
                NetworkEvent("connect", rec, ep.NetworkId, ep.NetworkName);
                if (ep.NetworkName == NetworkService.DefaultNetworkName)
                {
                    ns.IPAddress = ep.IPAddress; ns.Gateway = ep.Gateway; ns.IPPrefixLen = ep.PrefixLen; ns.MacAddress = ep.MacAddress;
                }
                foreach (var p in ep.Ports)
                {
                    var key = $"{p.ContainerPort}/{p.Proto}";
                    if (!ns.Ports.TryGetValue(key, out var list) || list is null) ns.Ports[key] = list = [];
                    list.Add(new Containers.PortBinding { HostIp = p.AnyHostIp ? "0.0.0.0" : p.HostIp, HostPort = p.HostPort.ToString() });
                }
            }
        }
        catch
        {
            // The start fails and the sandbox goes; the record keeps every network it asked for.
            ns.Networks.Clear();
            foreach (var (name, settings) in wanted) ns.Networks[name] = settings;
            throw;
        }
        net.WriteContainerFiles(rec.Id, Store.Dir(rec.Id), rec.Config.Hostname);
        return sb.Path;
    }

    /// <summary>docker's EndpointSettings for a live endpoint: the user's IPAMConfig and aliases, the operational data, and
    /// on user-defined networks the DNS names (container name, aliases, short id, hostname).</summary>
    static EndpointSettings Endpoint(ContainerRecord rec, EndpointInfo ep, EndpointSettings? asked) => new()
    {
        IPAMConfig = asked?.IPAMConfig, Aliases = asked?.Aliases is { Count: > 0 } a ? [.. a] : null,
        NetworkID = ep.NetworkId, EndpointID = ep.EndpointId, Gateway = ep.Gateway, IPAddress = ep.IPAddress,
        IPPrefixLen = ep.PrefixLen, MacAddress = ep.MacAddress,
        DNSNames = ep.NetworkName == NetworkService.DefaultNetworkName ? null
            : new[] { rec.PlainName }.Concat(asked?.Aliases ?? []).Append(rec.ShortId).Append(rec.Config.Hostname)
                .Where(n => !string.IsNullOrEmpty(n)).Distinct().ToList(),
    };

    void TeardownNetwork(ContainerRecord rec)
    {
        var mode = rec.HostConfig.NetworkMode;
        if (mode == "host" || mode.StartsWith("container:", StringComparison.Ordinal)) return;
        if (rec.Own.NetnsPath is null && !File.Exists(Path.Combine(Roots.NetnsDir, rec.Id))) return;
        _engine.Networks.DestroySandbox(rec.Id);
        rec.Own.NetnsPath = null;
        foreach (var (name, e) in rec.NetworkSettings.Networks)
            if (e.EndpointID.Length > 0) NetworkEvent("disconnect", rec, e.NetworkID, name);
        var ns = rec.NetworkSettings;
        ns.SandboxKey = ""; ns.IPAddress = ""; ns.Gateway = ""; ns.IPPrefixLen = 0; ns.MacAddress = "";
        foreach (var e in ns.Networks.Values) { e.IPAddress = ""; e.Gateway = ""; e.IPPrefixLen = 0; e.MacAddress = ""; e.EndpointID = ""; }
        foreach (var key in ns.Ports.Keys.ToList()) ns.Ports[key] = null;
    }

    static List<HeldPort> HeldPorts(ContainerRecord rec)
    {
        var l = new List<HeldPort>();
        foreach (var (key, binds) in rec.NetworkSettings.Ports)
            foreach (var b in binds ?? [])
                if (int.TryParse(b.HostPort, out var hp) && hp > 0)
                    l.Add(new HeldPort { Proto = key.EndsWith("/udp", StringComparison.Ordinal) ? "udp" : "tcp", HostIp = b.HostIp == "0.0.0.0" ? "" : b.HostIp, HostPort = hp });
        return l;
    }
}
