namespace Skiff.Engine.Specs;

/// <summary>One mount the user asked for (`-v`, `--mount`, `--tmpfs`) or the image declared (VOLUME), before volumes
/// are looked up. <see cref="Source"/> is a host path for binds and a volume name for named volumes; anonymous
/// volumes have none until the engine makes one.</summary>
public sealed record MountRequest(string Type, string? Source, string Destination, bool ReadOnly, IReadOnlyList<string> Options)
{
    public bool IsAnonymousVolume => Type == "volume" && string.IsNullOrEmpty(Source);
    /// <summary>-v creates a missing host directory; --mount type=bind refuses it (docker's difference).</summary>
    public bool CreateHostPath { get; init; }
    /// <summary>`nocopy`/`volume-nocopy`: do not copy the image's files into a new empty volume.</summary>
    public bool NoCopy { get; init; }
}
