using Skiff.Engine.Containers;
using Skiff.Images;

namespace Skiff.Engine;

/// <summary>The engine in-process: images, containers (and, from their own files of this partial class, volumes,
/// networks and events). Cheap to open; every piece keeps its state on disk under <see cref="Roots"/>.</summary>
public sealed partial class Engine
{
    Engine(EngineRoots roots, ImageService images)
    {
        Roots = roots;
        Images = images;
        Volumes = new Volumes.VolumeStore(roots.DataRoot);
        Events = new Events.EventLog(roots.DataRoot);
        Containers = new ContainerService(this);
        Images.Usage = new ContainerImageUsage(Containers.Store);
        Volumes.Usage = new ContainerVolumeUsage(Containers.Store);
    }

    public EngineRoots Roots { get; }
    public ImageService Images { get; }
    public ContainerService Containers { get; }
    public Volumes.VolumeStore Volumes { get; }
    public Events.EventLog Events { get; }

    Networking.NetworkService? _networks;
    /// <summary>Networks (opened on first use: it talks netlink and nftables).</summary>
    public Networking.NetworkService Networks => _networks ??= new Networking.NetworkService(Roots);

    /// <summary>Opens (creating) the roots. <paramref name="snapshotter"/> as in <see cref="ImageService.Open"/>.</summary>
    public static Engine Open(EngineRoots roots, string? snapshotter = null)
    {
        Directory.CreateDirectory(roots.DataRoot);
        Directory.CreateDirectory(roots.Containers);
        var images = ImageService.Open(roots.DataRoot, snapshotter);
        return new Engine(roots, images);
    }
}
