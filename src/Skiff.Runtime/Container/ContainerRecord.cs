using System.Text.Json.Serialization;

namespace Skiff.Runtime.Container;

/// <summary>What oar keeps about a container in &lt;root&gt;/&lt;id&gt;/state.json.</summary>
public sealed class ContainerRecord
{
    [JsonPropertyName("id")] public string Id { get; set; } = "";
    [JsonPropertyName("bundle")] public string Bundle { get; set; } = "";
    [JsonPropertyName("rootfs")] public string Rootfs { get; set; } = "";
    [JsonPropertyName("pid")] public int Pid { get; set; }
    /// <summary>/proc/pid/stat start time: tells our init from a later process that reused the pid.</summary>
    [JsonPropertyName("pidStartTime")] public ulong PidStartTime { get; set; }
    [JsonPropertyName("created")] public string Created { get; set; } = "";
    [JsonPropertyName("cgroupsPath")] public string? CgroupsPath { get; set; }
    [JsonPropertyName("ociVersion")] public string OciVersion { get; set; } = "";
    [JsonPropertyName("annotations")] public Dictionary<string, string>? Annotations { get; set; }
    [JsonPropertyName("owner")] public string Owner { get; set; } = "";
    [JsonPropertyName("ownsPidNamespace")] public bool OwnsPidNamespace { get; set; }
    /// <summary>Whether start/delete must read the config for hooks at all (most containers have none).</summary>
    [JsonPropertyName("hasPoststartHooks")] public bool HasPoststartHooks { get; set; }
    [JsonPropertyName("hasPoststopHooks")] public bool HasPoststopHooks { get; set; }
}
