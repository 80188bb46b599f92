using System.Text.Json.Serialization;
using Skiff.Images.Formats;

namespace Skiff.Build.Cache;

/// <summary>What a cached step produced: a layer (blob as stored, its diffID) or nothing (<see cref="Empty"/>: the step
/// changed no file, e.g. WORKDIR of a directory that exists). Stored as <c>records/KEY.json</c>.</summary>
public sealed record CacheRecord
{
    [JsonPropertyName("key")] public required string Key { get; init; }
    [JsonPropertyName("created")] public DateTimeOffset Created { get; init; }
    [JsonPropertyName("createdBy")] public string? CreatedBy { get; init; }
    [JsonPropertyName("empty")] public bool Empty { get; init; }
    [JsonPropertyName("layer")] public Descriptor? Layer { get; init; }
    [JsonPropertyName("diffId")] public string? DiffId { get; init; }
    /// <summary>The snapshot (chain ID) of the layer on top of its parent chain.</summary>
    [JsonPropertyName("snapshot")] public string? Snapshot { get; init; }
    [JsonPropertyName("lastUsed")] public DateTimeOffset LastUsed { get; init; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = false)]
[JsonSerializable(typeof(CacheRecord))]
public sealed partial class BuildJson : JsonSerializerContext;
