namespace Skiff.Engine.Networking;

/// <summary>
/// Host-wide choices for bridge networking. The defaults keep clear of docker (172.17.0.0/16, docker0) and podman
/// (10.88.0.0/16, podman0). Each can be changed through the environment (SKIFF_DEFAULT_BRIDGE, SKIFF_DEFAULT_SUBNET,
/// SKIFF_NETWORK_POOL, SKIFF_NFT_TABLE) so tests and unusual hosts can move out of the way.
/// </summary>
public sealed record NetworkOptions
{
    public string DefaultBridge { get; init; } = "skiff0";
    public string DefaultSubnet { get; init; } = "10.89.0.0/16";
    /// <summary>User networks without --subnet get the first free /<see cref="PoolPrefixLength"/> of this range.</summary>
    public string Pool { get; init; } = "10.90.0.0/16";
    public int PoolPrefixLength { get; init; } = 24;
    /// <summary>The nftables table (family ip) that holds every rule Skiff makes.</summary>
    public string NftTable { get; init; } = "skiff";
    public int Mtu { get; init; } = 1500;

    public static NetworkOptions FromEnvironment()
    {
        var o = new NetworkOptions();
        if (Env("SKIFF_DEFAULT_BRIDGE") is { } b) o = o with { DefaultBridge = b };
        if (Env("SKIFF_DEFAULT_SUBNET") is { } s) o = o with { DefaultSubnet = s };
        if (Env("SKIFF_NETWORK_POOL") is { } p) o = o with { Pool = p };
        if (Env("SKIFF_NFT_TABLE") is { } t) o = o with { NftTable = t };
        return o;
    }

    static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;
}
