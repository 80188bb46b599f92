using Skiff.Images.Formats;

namespace Skiff.Build.Execution;

/// <summary>Everything `skiff build` was asked: docker build's flags in library form.</summary>
public sealed record BuildOptions
{
    /// <summary>The context directory; null when the Dockerfile came on stdin without a context.</summary>
    public string? ContextDir { get; init; }
    public required string DockerfileText { get; init; }
    public string DockerfileName { get; init; } = "Dockerfile";
    /// <summary>The .dockerignore matcher: (relative path, is directory) → excluded.</summary>
    public Func<string, bool, bool>? Excluded { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public IReadOnlyDictionary<string, string> BuildArgs { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    /// <summary>--secret id=x,src=path: id → file on the host.</summary>
    public IReadOnlyDictionary<string, string> Secrets { get; init; } = new Dictionary<string, string>();
    public string? Target { get; init; }
    public bool NoCache { get; init; }
    public bool Pull { get; init; }
    public bool Insecure { get; init; }
    public Platform? Platform { get; init; }
    public Compression Compression { get; init; } = Compression.Gzip;
    /// <summary>Write Docker media types (docker's classic store) instead of OCI ones.</summary>
    public bool DockerFormat { get; init; }
}

public sealed record BuildResult(Images.LocalImage Image, int Steps, int Cached);
