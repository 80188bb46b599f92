namespace Skiff.Images.Registry;

/// <summary>How to talk to registries.</summary>
public sealed record RegistryOptions
{
    public ICredentialSource? Credentials { get; init; }
    /// <summary>Registries reachable over plain HTTP or with unverified TLS. Loopback hosts always are (as in docker).</summary>
    public IReadOnlySet<string> InsecureRegistries { get; init; } = new HashSet<string>();
    /// <summary>Treat every registry as insecure (--insecure).</summary>
    public bool Insecure { get; init; }
    /// <summary>Loopback registries (localhost, 127.0.0.0/8, ::1) count as insecure, as in docker. Tests turn it off to
    /// check that TLS is verified against the system trust store by default.</summary>
    public bool LoopbackIsInsecure { get; init; } = true;
    public int MaxAttempts { get; init; } = 5;
    public TimeSpan FirstBackoff { get; init; } = TimeSpan.FromMilliseconds(200);
    public int ConcurrentDownloads { get; init; } = 4;
    public int ConcurrentUploads { get; init; } = 4;
    /// <summary>Blobs larger than this are uploaded in PATCH chunks of this size; smaller ones with one PUT.</summary>
    public long UploadChunkSize { get; init; } = 64L << 20;
    public string UserAgent { get; init; } = "skiff/0.1";

    public bool IsInsecure(string registry)
    {
        if (Insecure || InsecureRegistries.Contains(registry)) return true;
        var host = registry;
        if (host.StartsWith('[')) host = host[1..host.IndexOf(']')];
        else if (host.LastIndexOf(':') is var c and > 0) host = host[..c];
        if (!LoopbackIsInsecure) return false;
        if (host == "localhost") return true;
        return System.Net.IPAddress.TryParse(host, out var ip) && System.Net.IPAddress.IsLoopback(ip);
    }
}
