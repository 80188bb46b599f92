using Skiff.Images;
using Skiff.Images.Content;

namespace Skiff.Engine.Containers;

/// <summary>Tells the image library which images containers use, so `rmi` refuses them without --force (docker's rule:
/// any container, running or not).</summary>
public sealed class ContainerImageUsage(ContainerStore store) : IImageUsage
{
    public IReadOnlyList<string> UsersOf(Digest imageId)
    {
        var id = imageId.ToString();
        return store.List().Where(c => c.Image == id).Select(c => c.ShortId).ToList();
    }
}
