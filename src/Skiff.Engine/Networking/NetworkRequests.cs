namespace Skiff.Engine.Networking;

/// <summary>`network create`: Subnet/Gateway are picked when null; Options may name the bridge device
/// (com.docker.network.bridge.name) and its MTU (com.docker.network.driver.mtu).</summary>
public sealed class NetworkCreateRequest
{
    public string Name { get; set; } = "";
    public string Driver { get; set; } = "bridge";
    public string? Subnet { get; set; }
    public string? Gateway { get; set; }
    public bool Internal { get; set; }
    public Dictionary<string, string> Labels { get; set; } = [];
    public Dictionary<string, string> Options { get; set; } = [];
}

/// <summary>What a container brings to a network: its names (for peers' hosts files) and the ports to publish.</summary>
public sealed class ConnectRequest
{
    public string ContainerName { get; set; } = "";
    public string Hostname { get; set; } = "";
    public List<string> Aliases { get; set; } = [];
    public List<PortBinding> Ports { get; set; } = [];
    /// <summary>A fixed address inside the network's subnet (`--ip`); null or "" = the lowest free one.</summary>
    public string? IPAddress { get; set; }
}

/// <summary>The result of <see cref="NetworkService.Connect"/>. <see cref="Ports"/> has the host ports actually bound
/// (HostPort 0 resolved); the engine passes them to the shim as HeldPorts.</summary>
public sealed record EndpointInfo(string NetworkId, string NetworkName, string EndpointId, string IPAddress, int PrefixLen,
    string Gateway, string MacAddress, string HostVeth, string Interface, IReadOnlyList<PortBinding> Ports);

/// <summary>A container's network namespace, bind-mounted at <see cref="Path"/> (the OCI spec's network namespace path).</summary>
public sealed record Sandbox(string ContainerId, string Path);
