using Skiff.Engine.Networking;

namespace Skiff.Engine.Containers;

/// <summary>`network connect` / `network disconnect` for one container, with docker's rules and wording: a running
/// container gets (or loses) an interface at once and the hosts files of its peers change in place; a container that is
/// not running only has the change recorded, and start makes it.</summary>
public sealed partial class ContainerService
{
    public ContainerRecord ConnectNetwork(string nameOrId, string network, IReadOnlyList<string>? aliases = null, string? ip = null)
    {
        var id = Store.Resolve(nameOrId);
        using var lk = Store.Lock(id);
        var rec = Refresh(Store.Load(id), locked: true);
        CheckNotRemoving(rec);
        var mode = rec.HostConfig.NetworkMode;
        aliases ??= [];
        if (mode.StartsWith("container:", StringComparison.Ordinal))
            throw EngineException.Invalid("container sharing network namespace with another container or host cannot be connected to any other network");
        if (network == "host" && mode != "host")
            throw EngineException.Invalid("cannot connect container to host network - container must be created in host network mode");
        var info = _engine.Networks.Get(network);
        var ns = rec.NetworkSettings;
        if (ns.Networks.ContainsKey(info.Name))
        {
            // docker: a second connect of a running container fails on the endpoint name; of a stopped one it changes nothing.
            if (rec.State.Running) throw EngineException.Conflict($"endpoint with name {rec.PlainName} already exists in network {info.Name}");
            return rec;
        }
        if (mode == "host")
            throw EngineException.Invalid("container sharing network namespace with another container or host cannot be connected to any other network");
        if (mode == "none" || info.Name == "none")
            throw EngineException.Invalid("container cannot be connected to multiple networks with one of the networks in private (none) mode");
        var asked = new EndpointSettings
        {
            NetworkID = info.Id, Aliases = aliases.Count > 0 ? [.. aliases] : null,
            IPAMConfig = string.IsNullOrEmpty(ip) ? null : new EndpointIpamConfig { IPv4Address = ip },
        };
        if (!rec.State.Running || rec.Own.NetnsPath is null)
        {
            _engine.Networks.CheckEndpoint(info.Id, ip, aliases);
            ns.Networks[info.Name] = asked;
            Store.Save(rec);
            return rec;
        }

        var ep = _engine.Networks.Connect(rec.Id, info.Id, new ConnectRequest
        {
            ContainerName = rec.PlainName, Hostname = rec.Config.Hostname, Aliases = [.. aliases], IPAddress = ip,
        });
        try
        {
            ns.Networks[ep.NetworkName] = Endpoint(rec, ep, asked);
            Store.Save(rec);
            _engine.Networks.WriteContainerFiles(rec.Id, Store.Dir(rec.Id), rec.Config.Hostname);
        }
        catch
        {
            ns.Networks.Remove(ep.NetworkName);
            try { _engine.Networks.Disconnect(rec.Id, ep.NetworkId); } catch (EngineException) { }
            throw;
        }
        NetworkEvent("connect", rec, info.Id, info.Name, info.Driver);
        return rec;
    }

    /// <summary>docker network disconnect [-f]. With force, a container that no longer exists is still taken off the
    /// network by its name (what docker's ForceEndpointDelete does for endpoints left behind).</summary>
    public ContainerRecord? DisconnectNetwork(string nameOrId, string network, bool force = false)
    {
        string id;
        try { id = Store.Resolve(nameOrId); }
        catch (EngineException e) when (force && e.Kind == EngineErrorKind.NotFound)
        {
            _engine.Networks.ForceDisconnect(network, nameOrId);
            return null;
        }
        using var lk = Store.Lock(id);
        var rec = Refresh(Store.Load(id), locked: true);
        CheckNotRemoving(rec);
        var ns = rec.NetworkSettings;
        NetworkInfo? info = null;
        try { info = _engine.Networks.Get(network); }
        catch (EngineException e) when (e.Kind == EngineErrorKind.NotFound && (!rec.State.Running || force) && ns.Networks.ContainsKey(network)) { }
        var name = info?.Name ?? network;
        bool live = rec.State.Running && rec.Own.NetnsPath is not null;
        if (info is { Name: "host" } && rec.HostConfig.NetworkMode == "host" && rec.State.Running)
            throw EngineException.Invalid("cannot disconnect container from host network - container was created in host network mode");
        if (!ns.Networks.TryGetValue(name, out var had))
            throw EngineException.NotFound(live ? $"container {rec.Id} is not connected to network {name}"
                                                : $"container {rec.Id} is not connected to the network {name}");
        if (live && info is not null && info.Driver == "bridge")
        {
            try { _engine.Networks.Disconnect(rec.Id, info.Id); }
            catch (EngineException e) when (e.Kind == EngineErrorKind.NotFound && force) { }
        }
        ns.Networks.Remove(name);
        if (name == NetworkService.DefaultNetworkName) { ns.IPAddress = ""; ns.Gateway = ""; ns.IPPrefixLen = 0; ns.MacAddress = ""; }
        if (live && had.EndpointID.Length > 0) DropPortsOf(rec);
        Store.Save(rec);
        if (info is not null) NetworkEvent("disconnect", rec, info.Id, info.Name, info.Driver);
        return rec;
    }

    /// <summary>After an endpoint went, NetworkSettings.Ports keeps only what is still published (the network service's view).</summary>
    void DropPortsOf(ContainerRecord rec)
    {
        var published = _engine.Networks.PublishedPorts(rec.Id);
        foreach (var (key, list) in rec.NetworkSettings.Ports.ToList())
        {
            if (list is null) continue;
            var keep = list.Where(b => published.Any(p => $"{p.ContainerPort}/{p.Proto}" == key && p.HostPort.ToString() == b.HostPort)).ToList();
            rec.NetworkSettings.Ports[key] = keep.Count > 0 ? keep : null;
        }
    }

    static void CheckNotRemoving(ContainerRecord rec)
    {
        if (rec.State.Status == "removing" || rec.State.Dead)
            throw EngineException.Conflict($"Container {rec.Id} is marked for removal and cannot be connected or disconnected to the network");
    }

    /// <summary>docker's network event: actor = the network, attributes container, name (the network's) and type (driver).
    /// Sent on `network connect/disconnect` and, as docker does, for each network a container joins at start or leaves
    /// when it stops.</summary>
    void NetworkEvent(string action, ContainerRecord rec, string networkId, string networkName, string driver = "bridge")
        => _engine.Events.Append("network", action, networkId, new Dictionary<string, string>
        {
            ["container"] = rec.Id, ["name"] = networkName, ["type"] = driver,
        });
}
