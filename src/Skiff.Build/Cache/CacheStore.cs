using System.Text.Json;
using Skiff.Images;
using Skiff.Images.Content;
using Skiff.Images.Gc;
using Skiff.Images.Metadata;
using Skiff.Linux;

namespace Skiff.Build.Cache;

/// <summary>The build cache on disk, <c>DataRoot/build-cache/</c>: one JSON record per step key (written atomically,
/// after the layer blob and snapshot it names are complete, so an interrupted step leaves no record), and a GC root
/// per record so image garbage collection keeps cached layers. Shared by every build and image of the root.</summary>
public sealed class CacheStore
{
    readonly ImageService _images;

    public CacheStore(ImageService images)
    {
        _images = images;
        Root = Path.Combine(images.Root, "build-cache");
        Directory.CreateDirectory(RecordsDir);
    }

    public string Root { get; }
    string RecordsDir => Path.Combine(Root, "records");
    string RecordPath(string key) => Path.Combine(RecordsDir, key + ".json");
    static string Holder(string key) => "build-" + key;

    /// <summary>Serialises the computation of one key across builds (a second build waits and then finds the record).</summary>
    public Fd LockKey(string key)
    {
        Directory.CreateDirectory(Path.Combine(Root, "locks"));
        return Locks.Take(Path.Combine(Root, "locks", key[..32] + ".lock"), exclusive: true);
    }

    /// <summary>The record for <paramref name="key"/> if it exists and what it names is still in the store.</summary>
    public CacheRecord? Get(string key)
    {
        CacheRecord? r;
        try { r = JsonSerializer.Deserialize(File.ReadAllBytes(RecordPath(key)), BuildJson.Default.CacheRecord); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or JsonException) { return null; }
        if (r is null || r.Key != key) return null;
        if (r.Empty) return r;
        if (r.Layer is null || r.DiffId is null || !_images.Content.Exists(r.Layer.ParsedDigest)) return null;
        return r;
    }

    public void Put(CacheRecord r)
    {
        if (!r.Empty)
            GcRoots.Set(_images, Holder(r.Key), [r.Layer!.ParsedDigest], r.Snapshot is null ? [] : [r.Snapshot]);
        AtomicFile.Write(RecordPath(r.Key), JsonSerializer.SerializeToUtf8Bytes(r, BuildJson.Default.CacheRecord));
    }

    public IEnumerable<CacheRecord> List()
    {
        foreach (var f in Directory.EnumerateFiles(RecordsDir, "*.json"))
        {
            CacheRecord? r = null;
            try { r = JsonSerializer.Deserialize(File.ReadAllBytes(f), BuildJson.Default.CacheRecord); }
            catch (Exception e) when (e is IOException or JsonException) { }
            if (r is not null) yield return r;
        }
    }

    public void Remove(string key)
    {
        File.Delete(RecordPath(key));
        GcRoots.Remove(_images, Holder(key));
    }

    /// <summary>Drops GC roots whose record is gone (a crash between writing the two).</summary>
    public void RemoveStrayRoots()
    {
        var dir = GcRoots.Dir(_images);
        if (!Directory.Exists(dir)) return;
        foreach (var f in Directory.EnumerateFiles(dir, "build-*.roots"))
        {
            var key = Path.GetFileNameWithoutExtension(f)["build-".Length..];
            if (!File.Exists(RecordPath(key))) File.Delete(f);
        }
    }

    public static Digest LayerDigest(CacheRecord r) => r.Layer!.ParsedDigest;
}
