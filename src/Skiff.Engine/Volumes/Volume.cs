using System.Text.Json.Serialization;

namespace Skiff.Engine.Volumes;

/// <summary>A named volume as docker's API shows it (volume inspect / volume ls JSON); also the on-disk
/// <c>volume.json</c> record. Property order is docker's (alphabetical).</summary>
public sealed record Volume
{
    public string CreatedAt { get; init; } = "";
    public string Driver { get; init; } = VolumeStore.LocalDriver;
    public Dictionary<string, string> Labels { get; init; } = [];
    public string Mountpoint { get; init; } = "";
    public string Name { get; init; } = "";
    public Dictionary<string, string> Options { get; init; } = [];
    public string Scope { get; init; } = "local";

    /// <summary>Created without a name (by a container's image VOLUME or <c>-v /path</c>): pruned by default.</summary>
    [JsonIgnore] public bool IsAnonymous => Labels.ContainsKey(VolumeStore.AnonymousLabel);
}

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(Volume))]
[JsonSerializable(typeof(List<Volume>))]
public sealed partial class VolumeJson : JsonSerializerContext;
