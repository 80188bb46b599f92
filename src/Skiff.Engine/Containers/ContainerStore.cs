using System.Text.Json;
using Skiff.Images.Metadata;
using Skiff.Linux;

namespace Skiff.Engine.Containers;

/// <summary>containers/&lt;id&gt;/container.json plus a name index (containers/.names/&lt;name&gt; → id symlinks). Writes are
/// atomic (temp + rename), so readers never lock. Writers lock: the whole store (containers/.lock) while names change
/// (create, rename, remove); one container (containers/&lt;id&gt;/.lock) while its state changes. flock locks, so several
/// CLI processes and `skiff serve` can act at once and a crashed process releases what it held.</summary>
public sealed class ContainerStore
{
    readonly EngineRoots _roots;

    public ContainerStore(EngineRoots roots)
    {
        _roots = roots;
        Directory.CreateDirectory(NamesDir);
    }

    public string Root => _roots.Containers;
    string NamesDir => Path.Combine(Root, ".names");

    public string Dir(string id) => Path.Combine(Root, id);
    public string RecordPath(string id) => Path.Combine(Dir(id), "container.json");

    /// <summary>Exclusive lock over names (create, rename, remove).</summary>
    public Fd LockNames() => Locks.Take(Path.Combine(Root, ".lock"), exclusive: true);

    /// <summary>Exclusive lock on one container's state. Throws NotFound when it was removed meanwhile.</summary>
    public Fd Lock(string id)
    {
        var dir = Dir(id);
        if (!Directory.Exists(dir)) throw EngineException.NotFound($"No such container: {id}");
        var fd = Locks.Take(Path.Combine(dir, ".lock"), exclusive: true);
        if (!File.Exists(RecordPath(id))) { fd.Dispose(); throw EngineException.NotFound($"No such container: {id}"); }
        return fd;
    }

    public static string NewId() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public ContainerRecord? TryLoad(string id)
    {
        try { return JsonSerializer.Deserialize(File.ReadAllBytes(RecordPath(id)), ContainerJson.Default.ContainerRecord); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { return null; }
    }

    public ContainerRecord Load(string id) => TryLoad(id) ?? throw EngineException.NotFound($"No such container: {id}");

    public void Save(ContainerRecord r) => AtomicFile.Write(RecordPath(r.Id), JsonSerializer.SerializeToUtf8Bytes(r, ContainerJson.Default.ContainerRecord));

    public IEnumerable<string> Ids()
    {
        if (!Directory.Exists(Root)) yield break;
        foreach (var d in Directory.EnumerateDirectories(Root))
        {
            var n = System.IO.Path.GetFileName(d);
            if (IsFullId(n) && File.Exists(Path.Combine(d, "container.json"))) yield return n;
        }
    }

    public List<ContainerRecord> List()
    {
        var l = new List<ContainerRecord>();
        foreach (var id in Ids()) if (TryLoad(id) is { } r) l.Add(r);
        return l;
    }

    static bool IsFullId(string s) => s.Length == 64 && s.All(char.IsAsciiHexDigitLower);

    /// <summary>docker's lookup order: a full ID, then an exact name (with or without the leading "/"), then a unique ID
    /// prefix.</summary>
    public string Resolve(string nameOrId)
    {
        if (string.IsNullOrEmpty(nameOrId)) throw EngineException.Invalid("container name or ID must not be empty");
        if (IsFullId(nameOrId) && File.Exists(RecordPath(nameOrId))) return nameOrId;
        var byName = IdOfName(nameOrId.TrimStart('/'));
        if (byName is not null && File.Exists(RecordPath(byName))) return byName;
        if (nameOrId.All(char.IsAsciiHexDigitLower))
        {
            var matches = Ids().Where(i => i.StartsWith(nameOrId, StringComparison.Ordinal)).ToList();
            if (matches.Count == 1) return matches[0];
            if (matches.Count > 1) throw EngineException.Invalid($"Multiple IDs found with provided prefix: {nameOrId}");
        }
        throw EngineException.NotFound($"No such container: {nameOrId}");
    }

    public string? IdOfName(string name)
    {
        if (!ContainerNames.IsValid(name)) return null;
        try { return File.ResolveLinkTarget(Path.Combine(NamesDir, name), false)?.ToString() is { } t ? System.IO.Path.GetFileName(t) : null; }
        catch (IOException) { return null; }
    }

    /// <summary>Claims <paramref name="name"/> for <paramref name="id"/> (call under <see cref="LockNames"/>). A name whose
    /// container is gone (a crash between steps) is taken over.</summary>
    public void ReserveName(string name, string id)
    {
        var link = Path.Combine(NamesDir, name);
        var owner = IdOfName(name);
        if (owner is not null)
        {
            if (owner != id && (File.Exists(RecordPath(owner)) || Directory.Exists(Dir(owner))))
                throw EngineException.Conflict($"Conflict. The container name \"/{name}\" is already in use by container \"{owner}\". You have to remove (or rename) that container to be able to reuse that name.");
            File.Delete(link);
        }
        File.CreateSymbolicLink(link, id);
    }

    /// <summary>Drops <paramref name="name"/> if it still points at <paramref name="id"/>.</summary>
    public void ReleaseName(string name, string id)
    {
        if (IdOfName(name) == id) File.Delete(Path.Combine(NamesDir, name));
    }
}
