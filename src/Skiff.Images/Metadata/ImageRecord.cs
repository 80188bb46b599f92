using System.Text.Json.Serialization;
using Skiff.Images.Formats;

namespace Skiff.Images.Metadata;

/// <summary>A name (normalised reference) pointing at a manifest or index in the content store.</summary>
public sealed record ImageRecord
{
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("target")] public required Descriptor Target { get; init; }
    [JsonPropertyName("created")] public DateTimeOffset Created { get; init; }
    [JsonPropertyName("updated")] public DateTimeOffset Updated { get; init; }
}
