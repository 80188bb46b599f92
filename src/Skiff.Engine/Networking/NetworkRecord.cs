namespace Skiff.Engine.Networking;

/// <summary>One network as stored in &lt;DataRoot&gt;/networks/&lt;id&gt;.json: its settings and its endpoints (the IPAM state).</summary>
public sealed class NetworkRecord
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public DateTime Created { get; set; }
    public string Driver { get; set; } = "bridge";
    public string Subnet { get; set; } = "";
    public string Gateway { get; set; } = "";
    /// <summary>The Linux bridge device (skiff0 for the default network).</summary>
    public string Bridge { get; set; } = "";
    public int Mtu { get; set; } = 1500;
    public bool Internal { get; set; }
    /// <summary>The predefined `bridge` network: no name resolution between its containers (docker's rule).</summary>
    public bool IsDefault { get; set; }
    public Dictionary<string, string> Labels { get; set; } = [];
    public Dictionary<string, string> Options { get; set; } = [];
    /// <summary>Container id → endpoint. An address is allocated exactly while its endpoint is here.</summary>
    public Dictionary<string, EndpointRecord> Endpoints { get; set; } = [];

    public Ipv4Subnet ParsedSubnet => Ipv4Subnet.Parse(Subnet);
    public Ipv4Address ParsedGateway => Ipv4Address.Parse(Gateway, "gateway");
}

/// <summary>A container's attachment to a network.</summary>
public sealed class EndpointRecord
{
    public string ContainerId { get; set; } = "";
    public string ContainerName { get; set; } = "";
    public string EndpointId { get; set; } = "";
    public string IPAddress { get; set; } = "";
    public string MacAddress { get; set; } = "";
    /// <summary>The host side of the veth pair (on the bridge).</summary>
    public string HostVeth { get; set; } = "";
    /// <summary>The container side's name inside the sandbox (eth0, eth1, …).</summary>
    public string Interface { get; set; } = "";
    public string Hostname { get; set; } = "";
    public List<string> Aliases { get; set; } = [];
    public List<PortBinding> Ports { get; set; } = [];
    /// <summary>The container directory holding its hosts file (known once the engine wrote the container's files).</summary>
    public string? FilesDir { get; set; }
}

/// <summary>A published port: HostIp:HostPort on the host → ContainerPort in the container. HostPort 0 = pick one.</summary>
public sealed class PortBinding
{
    public string Proto { get; set; } = "tcp";
    /// <summary>"" or 0.0.0.0 = every host address.</summary>
    public string HostIp { get; set; } = "";
    public int HostPort { get; set; }
    public int ContainerPort { get; set; }

    public bool AnyHostIp => HostIp is "" or "0.0.0.0";
    public override string ToString() => $"{(AnyHostIp ? "0.0.0.0" : HostIp)}:{HostPort}->{ContainerPort}/{Proto}";
}
