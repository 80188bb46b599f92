using System.Text.Json;
using Skiff.Linux;

namespace Skiff.Engine.Networking;

/// <summary>
/// Networks on disk: one JSON file per network, written whole (temp + rename) so readers never see half a file;
/// every change happens under one flock so several CLI processes can connect containers at once.
/// </summary>
sealed class NetworkStore
{
    readonly string _dir;

    public NetworkStore(string dir)
    {
        _dir = dir;
        Directory.CreateDirectory(dir);
    }

    /// <summary>The store-wide lock; dispose to release. Held across a whole connect/disconnect so IPAM and port
    /// checks see every other process's allocations.</summary>
    public Fd Lock() => Locks.Take(Path.Combine(_dir, ".lock"), exclusive: true);

    public List<NetworkRecord> All()
    {
        var list = new List<NetworkRecord>();
        foreach (var f in Directory.EnumerateFiles(_dir, "*.json"))
        {
            var r = Read(f);
            if (r is not null) list.Add(r);
        }
        list.Sort((a, b) => a.Created.CompareTo(b.Created));
        return list;
    }

    /// <summary>By exact name, exact id, or unique id prefix (docker's lookup order).</summary>
    public static NetworkRecord? Find(IReadOnlyList<NetworkRecord> all, string nameOrId)
    {
        foreach (var n in all) if (n.Name == nameOrId) return n;
        foreach (var n in all) if (n.Id == nameOrId) return n;
        var byPrefix = all.Where(n => n.Id.StartsWith(nameOrId, StringComparison.Ordinal)).ToList();
        if (byPrefix.Count > 1) throw EngineException.Conflict($"network {nameOrId} is ambiguous ({byPrefix.Count} matches found based on ID prefix)");
        return byPrefix.Count == 1 ? byPrefix[0] : null;
    }

    public void Save(NetworkRecord record)
    {
        var path = Path.Combine(_dir, record.Id + ".json");
        var tmp = path + ".tmp" + Environment.ProcessId;
        File.WriteAllBytes(tmp, JsonSerializer.SerializeToUtf8Bytes(record, NetworkJson.Default.NetworkRecord));
        File.Move(tmp, path, overwrite: true);
    }

    public void Delete(string id) => File.Delete(Path.Combine(_dir, id + ".json"));

    static NetworkRecord? Read(string path)
    {
        try { return JsonSerializer.Deserialize(File.ReadAllBytes(path), NetworkJson.Default.NetworkRecord); }
        catch (FileNotFoundException) { return null; }
        catch (JsonException e) { throw new EngineException(EngineErrorKind.System, $"network store: {path}: {e.Message}", e); }
    }
}
