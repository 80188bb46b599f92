namespace Skiff.Engine.Containers;

/// <summary>docker's NetworkSettings: the sandbox, published ports and one endpoint per network.</summary>
public sealed class NetworkSettings
{
    public string Bridge { get; set; } = "";
    public string SandboxID { get; set; } = "";
    public string SandboxKey { get; set; } = "";
    /// <summary>"80/tcp" → bindings (null value when exposed but not published), as docker.</summary>
    public Dictionary<string, List<PortBinding>?> Ports { get; set; } = [];
    public string Gateway { get; set; } = "";
    public string IPAddress { get; set; } = "";
    public int IPPrefixLen { get; set; }
    public string MacAddress { get; set; } = "";
    public Dictionary<string, EndpointSettings> Networks { get; set; } = [];
}

public sealed class EndpointSettings
{
    /// <summary>What the user asked for (`--ip`); kept across restarts.</summary>
    public EndpointIpamConfig? IPAMConfig { get; set; }
    /// <summary>The user's network-scoped aliases (`--alias`, `--network-alias`), as docker's API ≥ 1.45.</summary>
    public List<string>? Aliases { get; set; }
    public string NetworkID { get; set; } = "";
    public string EndpointID { get; set; } = "";
    public string Gateway { get; set; } = "";
    public string IPAddress { get; set; } = "";
    public int IPPrefixLen { get; set; }
    public string MacAddress { get; set; } = "";
    public List<string>? DNSNames { get; set; }
}

public sealed class EndpointIpamConfig
{
    public string? IPv4Address { get; set; }
}
