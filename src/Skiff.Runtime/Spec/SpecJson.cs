using System.Text.Json;
using System.Text.Json.Serialization;

namespace Skiff.Runtime.Spec;

/// <summary>Source-generated JSON for writing config.json (`oar spec`, `update`). Reading goes through the hand
/// readers (SpecReader, ResourcesReader): no serializer set-up on the start path.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = true,
    ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = false)]
[JsonSerializable(typeof(RuntimeSpec))]
public sealed partial class SpecJson : JsonSerializerContext;

/// <summary>The runtime-spec state, as `oar state` prints it and hooks receive it on stdin (written by RecordJson).</summary>
public sealed class ContainerStateJson
{
    public string OciVersion { get; set; } = "1.2.1";
    public string Id { get; set; } = "";
    public int Pid { get; set; }
    public string Status { get; set; } = "";
    public string Bundle { get; set; } = "";
    public string? Rootfs { get; set; }
    public string? Created { get; set; }
    public string? Owner { get; set; }
    public Dictionary<string, string>? Annotations { get; set; }

    /// <summary>oar's extension to the runtime-spec state: true once the OOM killer has killed a process of the
    /// container (its cgroup's oom_kill count is above 0). Written only when true, so the document is runc's otherwise;
    /// runc's state consumers (containerd, podman, CRI-O: Go's encoding/json) ignore unknown fields.</summary>
    public bool OomKilled { get; set; }
}
