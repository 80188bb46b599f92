using System.Text.Json.Serialization;

namespace Skiff.Images.Snapshots;

public enum SnapshotKind { Active, View, Committed }

/// <summary>What a snapshotter knows about one snapshot (stored as info.json next to its files).</summary>
public sealed record SnapshotInfo
{
    [JsonPropertyName("key")] public required string Key { get; init; }
    [JsonPropertyName("kind"), JsonConverter(typeof(JsonStringEnumConverter<SnapshotKind>))] public SnapshotKind Kind { get; init; }
    [JsonPropertyName("parent"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Parent { get; init; }
    [JsonPropertyName("created")] public DateTimeOffset Created { get; init; }
    [JsonPropertyName("labels"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public Dictionary<string, string>? Labels { get; init; }
}

/// <summary>A mount that makes a snapshot visible: what mount(2) needs, containerd-style.</summary>
public sealed record MountSpec(string Type, string Source, IReadOnlyList<string> Options)
{
    /// <summary>Mounts it on <paramref name="target"/> (tests and the engine use this).</summary>
    public void MountOn(string target)
    {
        ulong flags = 0;
        var data = new List<string>();
        foreach (var o in Options)
        {
            switch (o)
            {
                case "ro": flags |= Linux.Mounts.MS_RDONLY; break;
                case "rw": break;
                case "bind": flags |= Linux.Mounts.MS_BIND; break;
                case "rbind": flags |= Linux.Mounts.MS_BIND | Linux.Mounts.MS_REC; break;
                default: data.Add(o); break;
            }
        }
        bool bind = (flags & Linux.Mounts.MS_BIND) != 0;
        Linux.Mounts.Mount(Source, target, bind ? null : Type, flags & ~(bind ? Linux.Mounts.MS_RDONLY : 0), data.Count > 0 ? string.Join(',', data) : null);
        if (bind && (flags & Linux.Mounts.MS_RDONLY) != 0)
            Linux.Mounts.Mount(null, target, null, Linux.Mounts.MS_BIND | Linux.Mounts.MS_REMOUNT | Linux.Mounts.MS_RDONLY, null);
    }
}

public sealed class SnapshotNotFoundException(string key) : Exception($"snapshot \"{key}\" does not exist");
public sealed class SnapshotExistsException(string key) : Exception($"snapshot \"{key}\" already exists");
