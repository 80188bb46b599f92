using Skiff.Engine.Networking;

namespace Skiff.Engine.Containers;

/// <summary>--network for a container: none (own namespace, loopback only), host (the host's), container:&lt;id&gt; (another
/// container's namespace), or a network name (bridge by default) wired by the network service.</summary>
internal static class Network
{
    public static void ValidateMode(string mode)
    {
        if (string.IsNullOrEmpty(mode)) throw EngineException.Invalid("network mode must not be empty");
        if (mode.StartsWith("container:", StringComparison.Ordinal) && mode.Length == 10)
            throw EngineException.Invalid("invalid network mode: container: needs a container name or ID");
    }

    /// <summary>The networks a new container joins at start, keyed by network name: --network's (user networks looked up
    /// now, so a missing one fails create as in docker) with its aliases/address from <paramref name="asked"/>, then any
    /// other network <paramref name="asked"/> names. Empty for host, none and container:X.</summary>
    public static Dictionary<string, EndpointSettings> Endpoints(NetworkService net, string mode, Dictionary<string, EndpointSettings>? asked)
    {
        var result = new Dictionary<string, EndpointSettings>();
        asked ??= [];
        bool shared = mode is "host" or "none" || mode.StartsWith("container:", StringComparison.Ordinal);
        if (shared)
        {
            if (asked.Keys.Any(k => k != mode))
                throw EngineException.Invalid(mode == "none"
                    ? "container cannot be connected to multiple networks with one of the networks in private (none) mode"
                    : "container sharing network namespace with another container or host cannot be connected to any other network");
            if (asked.Values.Any(e => !string.IsNullOrEmpty(e.IPAMConfig?.IPv4Address)))
                throw EngineException.Invalid("invalid endpoint settings:\nuser-specified IP address is supported on user-defined networks only");
            if (asked.Values.Any(e => e.Aliases is { Count: > 0 }))
                throw EngineException.Invalid("invalid endpoint settings:\nnetwork-scoped aliases are only supported for user-defined networks");
            return result;
        }
        foreach (var (name, settings) in new[] { new KeyValuePair<string, EndpointSettings?>(mode, asked.GetValueOrDefault(mode)) }
                     .Concat(asked.Where(kv => kv.Key != mode).Select(kv => new KeyValuePair<string, EndpointSettings?>(kv.Key, kv.Value))))
        {
            if (name == "host") throw EngineException.Invalid("cannot connect container to host network - container must be created in host network mode");
            if (name == "none") throw EngineException.Invalid("container cannot be connected to multiple networks with one of the networks in private (none) mode");
            var aliases = settings?.Aliases ?? [];
            var ip = settings?.IPAMConfig?.IPv4Address;
            // The plain default network without options needs no lookup (create stays cheap); anything else is checked now.
            if (name == NetworkService.DefaultNetworkName && aliases.Count == 0 && string.IsNullOrEmpty(ip))
            {
                result[name] = new EndpointSettings();
                continue;
            }
            var info = net.CheckEndpoint(name, ip, aliases);
            result[info.Name] = new EndpointSettings
            {
                NetworkID = info.Id, Aliases = aliases.Count > 0 ? [.. aliases] : null,
                IPAMConfig = string.IsNullOrEmpty(ip) ? null : new EndpointIpamConfig { IPv4Address = ip },
            };
        }
        return result;
    }

    public static NetworkSettings InitialSettings(HostConfig hc, Dictionary<string, EndpointSettings> networks)
    {
        var s = new NetworkSettings();
        if (hc.NetworkMode is "host" or "none") s.Networks[hc.NetworkMode] = new EndpointSettings();
        foreach (var (name, e) in networks) s.Networks[name] = e;
        foreach (var (port, bindings) in hc.PortBindings ?? []) s.Ports[port] = bindings;
        return s;
    }
}
