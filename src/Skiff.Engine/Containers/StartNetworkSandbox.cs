using Skiff.Engine.Networking;
using Skiff.Shim.Protocol;

namespace Skiff.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>A sandbox (own network namespace, loopback up) from the network service; unless --network none, connected
    /// to the named network (bridge by default) with its published ports; the hosts/resolv.conf files then come from the
    /// network service so peers on user networks find each other by name.</summary>
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
        var ep = net.Connect(rec.Id, mode, new ConnectRequest { ContainerName = rec.PlainName, Hostname = rec.Config.Hostname, Ports = ports });
        ns.Networks.Clear();
        ns.Networks[ep.NetworkName] = new EndpointSettings
        {
            NetworkID = ep.NetworkId, EndpointID = ep.EndpointId, Gateway = ep.Gateway, IPAddress = ep.IPAddress,
            IPPrefixLen = ep.PrefixLen, MacAddress = ep.MacAddress, Aliases = [rec.ShortId], DNSNames = [rec.PlainName, rec.ShortId],
        };
        if (ep.NetworkName == NetworkService.DefaultNetworkName)
        {
            ns.IPAddress = ep.IPAddress; ns.Gateway = ep.Gateway; ns.IPPrefixLen = ep.PrefixLen; ns.MacAddress = ep.MacAddress;
        }
        foreach (var key in ns.Ports.Keys.ToList()) ns.Ports[key] = null;
        foreach (var p in ep.Ports)
        {
            var key = $"{p.ContainerPort}/{p.Proto}";
            if (!ns.Ports.TryGetValue(key, out var list) || list is null) ns.Ports[key] = list = [];
            list.Add(new Containers.PortBinding { HostIp = p.AnyHostIp ? "0.0.0.0" : p.HostIp, HostPort = p.HostPort.ToString() });
        }
        net.WriteContainerFiles(rec.Id, Store.Dir(rec.Id), rec.Config.Hostname);
        return sb.Path;
    }

    void TeardownNetwork(ContainerRecord rec)
    {
        var mode = rec.HostConfig.NetworkMode;
        if (mode == "host" || mode.StartsWith("container:", StringComparison.Ordinal)) return;
        if (rec.Own.NetnsPath is null && !File.Exists(Path.Combine(Roots.NetnsDir, rec.Id))) return;
        _engine.Networks.DestroySandbox(rec.Id);
        rec.Own.NetnsPath = null;
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
