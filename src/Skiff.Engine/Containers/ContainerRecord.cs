using System.Text.Json.Serialization;

namespace Skiff.Engine.Containers;

/// <summary>One container as stored in containers/&lt;id&gt;/container.json. The shape and field names are docker's
/// `inspect` output, so `inspect` prints it as it is (minus <see cref="Skiff"/>) and Go templates written for docker
/// (`{{.State.Status}}`, `{{.Config.Image}}`, `{{range .Mounts}}`) find the same fields.</summary>
public sealed class ContainerRecord
{
    public string Id { get; set; } = "";
    /// <summary>RFC 3339 with nanoseconds, UTC (docker's format).</summary>
    public string Created { get; set; } = Timestamps.Zero;
    public string Path { get; set; } = "";
    public List<string> Args { get; set; } = [];
    public ContainerState State { get; set; } = new();
    /// <summary>The image ID ("sha256:…").</summary>
    public string Image { get; set; } = "";
    public string ResolvConfPath { get; set; } = "";
    public string HostnamePath { get; set; } = "";
    public string HostsPath { get; set; } = "";
    public string LogPath { get; set; } = "";
    /// <summary>"/name", as docker prints it.</summary>
    public string Name { get; set; } = "";
    public int RestartCount { get; set; }
    public string Driver { get; set; } = "";
    public string Platform { get; set; } = "linux";
    public string MountLabel { get; set; } = "";
    public string ProcessLabel { get; set; } = "";
    public string AppArmorProfile { get; set; } = "";
    public List<string>? ExecIDs { get; set; }
    public HostConfig HostConfig { get; set; } = new();
    public GraphDriver GraphDriver { get; set; } = new();
    public List<MountPoint> Mounts { get; set; } = [];
    public ContainerConfig Config { get; set; } = new();
    public NetworkSettings NetworkSettings { get; set; } = new();
    /// <summary>Skiff's own bookkeeping (not in docker's shape; `inspect` leaves it out).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public SkiffState? Skiff { get; set; }

    [JsonIgnore] public string ShortId => Id[..12];
    [JsonIgnore] public string PlainName => Name.TrimStart('/');
    [JsonIgnore] public SkiffState Own => Skiff ??= new SkiffState();
}

/// <summary>docker's State object.</summary>
public sealed class ContainerState
{
    /// <summary>created, running, paused, restarting, removing, exited or dead.</summary>
    public string Status { get; set; } = "created";
    public bool Running { get; set; }
    public bool Paused { get; set; }
    public bool Restarting { get; set; }
    public bool OOMKilled { get; set; }
    public bool Dead { get; set; }
    public int Pid { get; set; }
    public int ExitCode { get; set; }
    public string Error { get; set; } = "";
    public string StartedAt { get; set; } = Timestamps.Zero;
    public string FinishedAt { get; set; } = Timestamps.Zero;
}

/// <summary>docker's Config object: what the container runs (image config merged with the command line).</summary>
public sealed class ContainerConfig
{
    public string Hostname { get; set; } = "";
    public string Domainname { get; set; } = "";
    public string User { get; set; } = "";
    public bool AttachStdin { get; set; }
    public bool AttachStdout { get; set; }
    public bool AttachStderr { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public Dictionary<string, EmptyObject>? ExposedPorts { get; set; }
    public bool Tty { get; set; }
    public bool OpenStdin { get; set; }
    public bool StdinOnce { get; set; }
    public List<string> Env { get; set; } = [];
    public List<string>? Cmd { get; set; }
    /// <summary>The image name as the user gave it.</summary>
    public string Image { get; set; } = "";
    public Dictionary<string, EmptyObject>? Volumes { get; set; }
    public string WorkingDir { get; set; } = "";
    public List<string>? Entrypoint { get; set; }
    public List<string>? OnBuild { get; set; }
    public Dictionary<string, string> Labels { get; set; } = [];
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? StopSignal { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? StopTimeout { get; set; }
}

/// <summary>docker writes `{}` as the value of ExposedPorts and Volumes entries.</summary>
public sealed class EmptyObject;

public sealed class GraphDriver
{
    public string Name { get; set; } = "";
    public Dictionary<string, string> Data { get; set; } = [];
}

/// <summary>One entry of docker's Mounts list.</summary>
public sealed class MountPoint
{
    /// <summary>bind, volume or tmpfs.</summary>
    public string Type { get; set; } = "";
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Name { get; set; }
    public string Source { get; set; } = "";
    public string Destination { get; set; } = "";
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Driver { get; set; }
    public string Mode { get; set; } = "";
    public bool RW { get; set; } = true;
    public string Propagation { get; set; } = "";
}

/// <summary>What the engine itself needs to remember about a container.</summary>
public sealed class SkiffState
{
    /// <summary>The runtime binary the container was created with (absolute path) and its name ("oar", "runc").</summary>
    public string RuntimePath { get; set; } = "";
    public string RuntimeRoot { get; set; } = "";
    /// <summary>The writable snapshot's key in the image store's snapshotter.</summary>
    public string SnapshotKey { get; set; } = "";
    public string Snapshotter { get; set; } = "";
    public int ShimPid { get; set; }
    /// <summary>The shim's start time in clock ticks since boot (/proc/&lt;pid&gt;/stat field 22): tells a live shim from a
    /// recycled pid.</summary>
    public long ShimStartTicks { get; set; }
    /// <summary>Names of volumes made for this container alone (image VOLUMEs, `-v /path`): `rm -v` removes them.</summary>
    public List<string> AnonymousVolumes { get; set; } = [];
    /// <summary>Volumes whose copy-up from the image already happened for this container.</summary>
    public List<string> PopulatedVolumes { get; set; } = [];
    /// <summary>The network namespace the container joined, when the engine made one.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? NetnsPath { get; set; }
    /// <summary>Set by stop/kill so a container that dies afterwards is "exited" by request (restart policies).</summary>
    public bool StoppedByUser { get; set; }
    /// <summary>The snapshot is mounted on &lt;dir&gt;/rootfs.</summary>
    public bool RootfsMounted { get; set; }
}
