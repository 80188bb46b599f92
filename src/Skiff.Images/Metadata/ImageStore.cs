using System.Text.Json;
using Skiff.Images.Formats;
using Skiff.Linux;

namespace Skiff.Images.Metadata;

/// <summary>Names → digests. One JSON file replaced atomically (see <see cref="AtomicFile"/>) under an flock, so a crash
/// at any point leaves the previous or the new set of names and concurrent skiff processes never lose an update.</summary>
public sealed class ImageStore
{
    readonly string _file, _lock;

    public ImageStore(string root)
    {
        Directory.CreateDirectory(root);
        _file = Path.Combine(root, "images.json");
        _lock = Path.Combine(root, "images.lock");
    }

    public IReadOnlyList<ImageRecord> List()
    {
        using var l = Locks.Take(_lock, exclusive: false);
        return Load();
    }

    public ImageRecord? Get(string name) => List().FirstOrDefault(r => r.Name == name);

    /// <summary>Points <paramref name="name"/> at <paramref name="target"/> (creating or moving the name).</summary>
    public ImageRecord Set(string name, Descriptor target)
    {
        ImageRecord? result = null;
        Update(list =>
        {
            var now = DateTimeOffset.UtcNow;
            int i = list.FindIndex(r => r.Name == name);
            result = new ImageRecord { Name = name, Target = target, Created = i >= 0 ? list[i].Created : now, Updated = now };
            if (i >= 0) list[i] = result; else list.Add(result);
        });
        return result!;
    }

    public bool Delete(string name)
    {
        bool found = false;
        Update(list => found = list.RemoveAll(r => r.Name == name) > 0);
        return found;
    }

    /// <summary>Read-modify-write under the exclusive lock.</summary>
    public void Update(Action<List<ImageRecord>> change)
    {
        using var l = Locks.Take(_lock, exclusive: true);
        var list = Load().ToList();
        change(list);
        list.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        AtomicFile.Write(_file, JsonSerializer.SerializeToUtf8Bytes(list.ToArray(), WireJson.Default.ImageRecordArray));
    }

    ImageRecord[] Load()
    {
        if (!File.Exists(_file)) return [];
        var bytes = File.ReadAllBytes(_file);
        return JsonSerializer.Deserialize(bytes, WireJson.Default.ImageRecordArray) ?? [];
    }
}
