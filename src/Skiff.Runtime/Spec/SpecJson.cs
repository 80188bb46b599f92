using System.Text.Json;
using System.Text.Json.Serialization;

namespace Skiff.Runtime.Spec;

/// <summary>Source-generated JSON for every runtime-spec wire type (no reflection: oar is NativeAOT).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = true,
    ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = false)]
[JsonSerializable(typeof(RuntimeSpec))]
[JsonSerializable(typeof(Resources))]
[JsonSerializable(typeof(Process))]
[JsonSerializable(typeof(Seccomp))]
[JsonSerializable(typeof(ContainerStateJson))]
public sealed partial class SpecJson : JsonSerializerContext;

/// <summary>The runtime-spec state, as `oar state` prints it and hooks receive it on stdin.</summary>
public sealed class ContainerStateJson
{
    [JsonPropertyName("ociVersion")] public string OciVersion { get; set; } = "1.2.1";
    [JsonPropertyName("id")] public string Id { get; set; } = "";
    [JsonPropertyName("pid")] public int Pid { get; set; }
    [JsonPropertyName("status")] public string Status { get; set; } = "";
    [JsonPropertyName("bundle")] public string Bundle { get; set; } = "";
    [JsonPropertyName("rootfs")] public string? Rootfs { get; set; }
    [JsonPropertyName("created")] public string? Created { get; set; }
    [JsonPropertyName("owner")] public string? Owner { get; set; }
    [JsonPropertyName("annotations")] public Dictionary<string, string>? Annotations { get; set; }
}
