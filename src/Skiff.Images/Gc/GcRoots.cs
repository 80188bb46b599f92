using Skiff.Images.Content;
using Skiff.Images.Metadata;

namespace Skiff.Images.Gc;

/// <summary>Extra garbage-collection roots that are not image names (containerd calls them leases): one small text file
/// per holder under <c>root/gc-roots/</c>, lines "blob DIGEST" and "snapshot KEY". The build cache keeps its layers
/// alive this way; removing the file releases them to the next collection.</summary>
public static class GcRoots
{
    public static string Dir(ImageService images) => Path.Combine(images.Root, "gc-roots");

    public static void Set(ImageService images, string holder, IEnumerable<Digest> blobs, IEnumerable<string> snapshots)
    {
        var lines = blobs.Select(b => "blob " + b).Concat(snapshots.Select(s => "snapshot " + s));
        Directory.CreateDirectory(Dir(images));
        AtomicFile.Write(Path.Combine(Dir(images), holder + ".roots"), System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n"));
    }

    public static void Remove(ImageService images, string holder) => File.Delete(Path.Combine(Dir(images), holder + ".roots"));

    /// <summary>Every blob and snapshot some holder keeps.</summary>
    public static (List<Digest> Blobs, List<string> Snapshots) Read(ImageService images)
    {
        var blobs = new List<Digest>();
        var snaps = new List<string>();
        var dir = Dir(images);
        if (!Directory.Exists(dir)) return (blobs, snaps);
        foreach (var f in Directory.EnumerateFiles(dir, "*.roots"))
        {
            string[] lines;
            try { lines = File.ReadAllLines(f); } catch (IOException) { continue; }
            foreach (var l in lines)
            {
                if (l.StartsWith("blob ", StringComparison.Ordinal) && Digest.TryParse(l[5..], out var d, out _)) blobs.Add(d);
                else if (l.StartsWith("snapshot ", StringComparison.Ordinal)) snaps.Add(l[9..]);
            }
        }
        return (blobs, snaps);
    }
}
