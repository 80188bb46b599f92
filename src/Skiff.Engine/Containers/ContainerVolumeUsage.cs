using Skiff.Engine.Volumes;

namespace Skiff.Engine.Containers;

/// <summary>Tells the volume store which containers use a volume, so `volume rm` refuses one in use (docker's rule:
/// any container, running or not).</summary>
public sealed class ContainerVolumeUsage(ContainerStore store) : IVolumeUsage
{
    public IReadOnlyList<string> ContainersUsing(string volumeName)
        => store.List().Where(c => c.Mounts.Any(m => m.Type == "volume" && m.Name == volumeName)).Select(c => c.ShortId).ToList();
}
