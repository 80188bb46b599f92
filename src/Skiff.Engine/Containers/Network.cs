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

    public static NetworkSettings InitialSettings(HostConfig hc)
    {
        var s = new NetworkSettings();
        if (hc.NetworkMode is "host" or "none" || !hc.NetworkMode.StartsWith("container:", StringComparison.Ordinal))
            s.Networks[hc.NetworkMode] = new EndpointSettings();
        foreach (var (port, bindings) in hc.PortBindings ?? []) s.Ports[port] = bindings;
        return s;
    }
}
