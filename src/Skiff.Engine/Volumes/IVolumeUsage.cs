namespace Skiff.Engine.Volumes;

/// <summary>What the engine tells the volume store about its containers: which containers (running or not) reference a
/// volume. A volume referenced by any container cannot be removed or pruned, as in docker.</summary>
public interface IVolumeUsage
{
    /// <summary>Ids of the containers whose mounts name <paramref name="volumeName"/>; empty when unused.</summary>
    IReadOnlyList<string> ContainersUsing(string volumeName);
}

/// <summary>No containers at all (a store opened without an engine, e.g. in tests of the store alone).</summary>
public sealed class NoVolumeUsage : IVolumeUsage
{
    public static readonly NoVolumeUsage Instance = new();
    public IReadOnlyList<string> ContainersUsing(string volumeName) => [];
}
