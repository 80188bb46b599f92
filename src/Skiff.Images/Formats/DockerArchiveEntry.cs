using System.Text.Json.Serialization;

namespace Skiff.Images.Formats;

/// <summary>One image in a docker-archive's manifest.json (what `docker save` writes).</summary>
public sealed record DockerArchiveEntry
{
    [JsonPropertyName("Config")] public required string Config { get; init; }
    [JsonPropertyName("RepoTags")] public string[]? RepoTags { get; init; }
    [JsonPropertyName("Layers")] public required string[] Layers { get; init; }
}
