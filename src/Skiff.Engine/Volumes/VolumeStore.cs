using System.Globalization;
using System.Text.Json;
using Skiff.Linux;

namespace Skiff.Engine.Volumes;

/// <summary>Named volumes under <c>&lt;DataRoot&gt;/volumes/&lt;name&gt;/</c>: <c>_data</c> (the content, what a container
/// mounts) and <c>volume.json</c> (<see cref="Volume"/>). Changes hold an exclusive flock on <c>volumes/.lock</c> so
/// several CLI processes can act at once; reads need no lock because volume.json is replaced atomically and written
/// last on create. Removal renames the directory to a hidden name first, so a crash never leaves a half-removed volume
/// visible.</summary>
public sealed class VolumeStore
{
    public const string LocalDriver = "local";
    public const string AnonymousLabel = "com.docker.volume.anonymous";
    const string RecordFile = "volume.json", DataDir = "_data", LockFile = ".lock", Trash = ".rm-";

    public VolumeStore(string dataRoot, IVolumeUsage? usage = null)
    {
        Root = Path.Combine(dataRoot, "volumes");
        Usage = usage ?? NoVolumeUsage.Instance;
    }

    /// <summary>The volumes directory.</summary>
    public string Root { get; }

    /// <summary>Which containers use which volume; the engine sets itself here.</summary>
    public IVolumeUsage Usage { get; set; }

    public string DataPath(string name) => Path.Combine(Root, name, DataDir);

    /// <summary>Creates a volume, or returns the existing one of that name (as docker does) when its driver matches.
    /// <paramref name="name"/> null or empty makes an anonymous volume (64 hex characters).</summary>
    public Volume Create(string? name, string? driver = null, IReadOnlyDictionary<string, string>? labels = null,
        IReadOnlyDictionary<string, string>? options = null)
    {
        driver = string.IsNullOrEmpty(driver) ? LocalDriver : driver;
        bool anonymous = string.IsNullOrEmpty(name);
        name = anonymous ? VolumeName.NewAnonymous() : name!;
        if (driver != LocalDriver)
            throw new VolumeException($"error looking up volume plugin {driver}: plugin \"{driver}\" not found");
        VolumeName.Validate(name);
        var opts = new Dictionary<string, string>(options ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        LocalDriverOptions.Parse(name, opts);
        var lbls = new Dictionary<string, string>(labels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        if (anonymous) lbls[AnonymousLabel] = "";

        using var _ = Lock();
        var existing = TryGet(name);
        if (existing is not null)
        {
            if (existing.Driver != driver)
                throw new VolumeException($"create {name}: a volume with the name {name} already exists with driver \"{existing.Driver}\"");
            return existing;
        }
        var dir = Path.Combine(Root, name);
        // A leftover directory without volume.json is a create that crashed: start it over.
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        var vol = new Volume
        {
            Name = name, Driver = driver, Labels = lbls, Options = opts,
            Mountpoint = Path.Combine(dir, DataDir),
            CreatedAt = DateTimeOffset.Now.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture),
        };
        try
        {
            Directory.CreateDirectory(vol.Mountpoint);
            File.SetUnixFileMode(dir, (UnixFileMode)0x1c0); // 0700 like docker's volume dir
            Skiff.Images.Metadata.AtomicFile.Write(Path.Combine(dir, RecordFile), JsonSerializer.SerializeToUtf8Bytes(vol, VolumeJson.Default.Volume));
        }
        catch
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
            throw;
        }
        return vol;
    }

    public Volume? TryGet(string name)
    {
        if (name.Length == 0 || name.Contains('/') || name.StartsWith('.')) return null;
        var path = Path.Combine(Root, name, RecordFile);
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
        try { return JsonSerializer.Deserialize(bytes, VolumeJson.Default.Volume); }
        catch (JsonException e) { throw new VolumeException($"read volume {name}: {path}: {e.Message}"); }
    }

    public Volume Get(string name) => TryGet(name) ?? throw new VolumeNotFoundException(name);

    /// <summary>All volumes, sorted by name.</summary>
    public IReadOnlyList<Volume> List()
    {
        if (!Directory.Exists(Root)) return [];
        var list = new List<Volume>();
        foreach (var dir in Directory.EnumerateDirectories(Root))
        {
            var v = TryGet(Path.GetFileName(dir));
            if (v is not null) list.Add(v);
        }
        list.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return list;
    }

    /// <summary>Removes a volume. In use by a container → <see cref="VolumeInUseException"/> (also with
    /// <paramref name="force"/>, as docker); missing → <see cref="VolumeNotFoundException"/> unless forced.</summary>
    public void Remove(string name, bool force = false)
    {
        using var _ = Lock();
        RemoveLocked(name, force);
    }

    void RemoveLocked(string name, bool force)
    {
        var vol = TryGet(name);
        if (vol is null)
        {
            if (force) return;
            throw new VolumeNotFoundException(name);
        }
        var users = Usage.ContainersUsing(name);
        if (users.Count > 0) throw new VolumeInUseException(name, users);
        UnmountLocked(vol);
        var dir = Path.Combine(Root, name);
        var trash = Path.Combine(Root, $"{Trash}{name}-{Environment.ProcessId}");
        Directory.Move(dir, trash);
        Directory.Delete(trash, recursive: true);
    }

    /// <summary>Removes unused volumes: anonymous ones only unless <paramref name="all"/> (docker ≥ API 1.42);
    /// <paramref name="filter"/> narrows further. Returns the removed names and the bytes freed.</summary>
    public (IReadOnlyList<string> Removed, long Reclaimed) Prune(bool all, Func<Volume, bool>? filter = null)
    {
        using var _ = Lock();
        var removed = new List<string>();
        long bytes = 0;
        foreach (var v in List())
        {
            if (!all && !v.IsAnonymous) continue;
            if (filter is not null && !filter(v)) continue;
            if (Usage.ContainersUsing(v.Name).Count > 0) continue;
            long size = Size(v.Name);
            try { RemoveLocked(v.Name, force: true); }
            catch (VolumeInUseException) { continue; }
            removed.Add(v.Name);
            bytes += size;
        }
        foreach (var dir in Directory.Exists(Root) ? Directory.GetDirectories(Root, Trash + "*") : [])
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        return (removed, bytes);
    }

    /// <summary>Makes the volume ready for a container and returns the host path to bind-mount: volumes with
    /// <c>type=</c> options are mounted on their _data here on first use (idempotent).</summary>
    public string Mount(string name)
    {
        var vol = Get(name);
        var opts = LocalDriverOptions.Parse(name, vol.Options);
        if (!opts.NeedsMount) return vol.Mountpoint;
        using var _ = Lock();
        if (!IsMountPoint(vol.Mountpoint)) opts.MountOn(vol.Mountpoint, name);
        return vol.Mountpoint;
    }

    /// <summary>Unmounts a volume's own mount (tmpfs/device/bind options) when the engine has no more running users.</summary>
    public void Unmount(string name)
    {
        var vol = Get(name);
        using var _ = Lock();
        UnmountLocked(vol);
    }

    void UnmountLocked(Volume vol)
    {
        while (IsMountPoint(vol.Mountpoint))
        {
            int e = Mounts.TryUnmount(vol.Mountpoint, 0);
            if (e != 0) throw new VolumeException($"remove {vol.Name}: unmount {vol.Mountpoint}: {Errno.Name(e)}");
        }
    }

    /// <summary>docker's copy-up: the first time an empty volume is mounted over a directory that has content in the
    /// image, that content is copied in (owner, mode, times, symlinks as symlinks). <paramref name="containerPath"/> is
    /// resolved inside <paramref name="rootfsPath"/> only. Returns whether anything was copied.</summary>
    public bool PopulateFrom(string name, string rootfsPath, string containerPath)
    {
        var target = Mount(name);
        using var _ = Lock();
        return CopyUp.Copy(rootfsPath, containerPath, target);
    }

    /// <summary>Bytes used by the volume's content (file sizes, symlinks not followed).</summary>
    public long Size(string name)
    {
        var data = DataPath(name);
        if (!Directory.Exists(data)) return 0;
        long total = 0;
        var opts = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true };
        foreach (var f in new DirectoryInfo(data).EnumerateFiles("*", opts))
            if (f.LinkTarget is null) total += f.Length;
        return total;
    }

    static bool IsMountPoint(string path)
    {
        if (!Directory.Exists(path)) return false;
        var parent = Files.StatAt(Files.AT_FDCWD, Path.GetDirectoryName(path)!, 0);
        var self = Files.StatAt(Files.AT_FDCWD, path, Files.AT_SYMLINK_NOFOLLOW);
        if (parent.Dev != self.Dev) return true;
        // Same device: a bind mount of a directory on the same filesystem; look it up in mountinfo.
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            var f = line.Split(' ');
            if (f.Length > 4 && Unescape(f[4]) == path) return true;
        }
        return false;
    }

    static string Unescape(string s) => s.Replace("\\040", " ").Replace("\\011", "\t").Replace("\\012", "\n").Replace("\\134", "\\");

    Fd Lock()
    {
        Directory.CreateDirectory(Root);
        return Locks.Take(Path.Combine(Root, LockFile), exclusive: true);
    }
}
