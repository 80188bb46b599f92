using Skiff.Images.Gc;
using Skiff.Images.References;

namespace Skiff.Images;

/// <summary>rmi and prune semantics (docker's): removing by name drops that name; by ID drops every name (refused when
/// the image has several names, unless forced); an image a container uses is refused unless forced. When no name is
/// left the data goes at once (garbage collection).</summary>
public static class ImageRemoval
{
    public sealed record Result(IReadOnlyList<string> Untagged, Content.Digest? Deleted);

    public static Result Remove(ImageService images, string nameOrId, bool force, bool prune = true)
    {
        var img = images.Resolve(nameOrId);
        var users = images.Usage.UsersOf(img.Id);
        if (users.Count > 0 && !force)
            throw new ImageInUseException($"conflict: unable to remove {nameOrId} (image {img.Id.Short} is used by container {users[0]}): use --force");
        var all = images.Images.List().Where(r => images.TryLoad(r)?.Id == img.Id).ToList();
        bool byName = Reference.TryParse(nameOrId, out var r, out _) && all.Any(x => x.Name == r!.ToString());
        var doomed = byName ? all.Where(x => x.Name == r!.ToString()).ToList() : all;
        if (!byName && all.Count > 1 && !force)
            throw new ImageInUseException($"conflict: unable to delete {img.Id.Short} (must be forced) - image is referenced in multiple repositories");
        foreach (var d in doomed) images.Images.Delete(d.Name);
        bool gone = all.Count == doomed.Count;
        if (gone && prune) GarbageCollector.Collect(images);
        return new Result(doomed.Select(d => d.Name).ToList(), gone ? img.Id : null);
    }

    /// <summary>image prune: with <paramref name="all"/> drops the names of every image no container uses; then collects.</summary>
    public static (IReadOnlyList<string> Untagged, GarbageCollector.Result Collected) Prune(ImageService images, bool all)
    {
        var untagged = new List<string>();
        if (all)
            foreach (var (rec, img) in images.List().ToList())
            {
                if (img is not null && images.Usage.UsersOf(img.Id).Count > 0) continue;
                images.Images.Delete(rec.Name);
                untagged.Add(rec.Name);
            }
        return (untagged, GarbageCollector.Collect(images));
    }
}

public sealed class ImageInUseException(string message) : InvalidOperationException(message);
