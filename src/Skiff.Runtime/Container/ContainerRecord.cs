
namespace Skiff.Runtime.Container;

/// <summary>What oar keeps about a container in &lt;root&gt;/&lt;id&gt;/state.json.</summary>
public sealed class ContainerRecord
{
    public string Id { get; set; } = "";
    public string Bundle { get; set; } = "";
    public string Rootfs { get; set; } = "";
    public int Pid { get; set; }
    /// <summary>/proc/pid/stat start time: tells our init from a later process that reused the pid.</summary>
    public ulong PidStartTime { get; set; }
    public string Created { get; set; } = "";
    public string? CgroupsPath { get; set; }
    public string OciVersion { get; set; } = "";
    public Dictionary<string, string>? Annotations { get; set; }
    public string Owner { get; set; } = "";
    public bool OwnsPidNamespace { get; set; }
    /// <summary>Whether start/delete must read the config for hooks at all (most containers have none).</summary>
    public bool HasPoststartHooks { get; set; }
    public bool HasPoststopHooks { get; set; }
}
