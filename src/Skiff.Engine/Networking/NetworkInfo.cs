namespace Skiff.Engine.Networking;

/// <summary>docker's NetworkResource (`network inspect`, GET /networks/{id}): the field names are docker's.</summary>
public sealed class NetworkInfo
{
    public string Name { get; set; } = "";
    public string Id { get; set; } = "";
    public string Created { get; set; } = "";
    public string Scope { get; set; } = "local";
    public string Driver { get; set; } = "bridge";
    public bool EnableIPv4 { get; set; } = true;
    public bool EnableIPv6 { get; set; }
    public NetworkIpam IPAM { get; set; } = new();
    public bool Internal { get; set; }
    public bool Attachable { get; set; }
    public bool Ingress { get; set; }
    public NetworkConfigFrom ConfigFrom { get; set; } = new();
    public bool ConfigOnly { get; set; }
    public Dictionary<string, NetworkContainer> Containers { get; set; } = [];
    public Dictionary<string, string> Options { get; set; } = [];
    public Dictionary<string, string> Labels { get; set; } = [];
    /// <summary>The Linux bridge device ("" for host/none); not part of docker's JSON.</summary>
    [System.Text.Json.Serialization.JsonIgnore] public string Bridge { get; set; } = "";
}

public sealed class NetworkIpam
{
    public string Driver { get; set; } = "default";
    public Dictionary<string, string>? Options { get; set; }
    public List<NetworkIpamConfig> Config { get; set; } = [];
}

public sealed class NetworkIpamConfig
{
    public string Subnet { get; set; } = "";
    public string Gateway { get; set; } = "";
}

public sealed class NetworkConfigFrom
{
    public string Network { get; set; } = "";
}

public sealed class NetworkContainer
{
    public string Name { get; set; } = "";
    public string EndpointID { get; set; } = "";
    public string MacAddress { get; set; } = "";
    public string IPv4Address { get; set; } = "";
    public string IPv6Address { get; set; } = "";
}
