using Skiff.Images.Layers;

namespace Skiff.Images.Snapshots.Overlay;

/// <summary>overlayfs: each snapshot owns only its layer's files (fs/); mounts stack the parent chain as lowerdirs.
/// Layers are applied straight into fs/ with overlay whiteouts (0/0 char devices, trusted.overlay.opaque), as Docker's
/// overlay2 does, so they can be unpacked in parallel and rebased on commit.</summary>
public sealed class OverlaySnapshotter(string root) : ISnapshotter
{
    readonly SnapshotDirectory _dir = new(root);

    public string Name => "overlayfs";
    public bool CanRebase => true;
    public WhiteoutStyle Whiteouts => WhiteoutStyle.Overlay;
    public SnapshotDirectory Store => _dir;

    /// <summary>Whether this kernel and the filesystem under root can host overlay snapshots.</summary>
    public static bool Supported(string root)
    {
        if (!File.ReadAllText("/proc/filesystems").Contains("\toverlay")) return false;
        Directory.CreateDirectory(root);
        return Linux.Files.FsType(root) != Linux.Files.OVERLAYFS_SUPER_MAGIC;
    }

    public SnapshotInfo? Stat(string key) => _dir.Stat(key);
    public IReadOnlyList<SnapshotInfo> List() => _dir.List();

    public IReadOnlyList<MountSpec> Prepare(string key, string? parent, Dictionary<string, string>? labels = null)
    {
        _dir.Create(key, SnapshotKind.Active, parent, labels, withWork: true);
        return Mounts(key);
    }

    public IReadOnlyList<MountSpec> View(string key, string? parent, Dictionary<string, string>? labels = null)
    {
        _dir.Create(key, SnapshotKind.View, parent, labels, withWork: false);
        return Mounts(key);
    }

    public IReadOnlyList<MountSpec> Mounts(string key)
    {
        var info = _dir.Require(key);
        var lowers = _dir.Chain(info.Parent).Select(p => _dir.Fs(p.Key)).ToList();
        if (info.Kind == SnapshotKind.Active)
        {
            if (lowers.Count == 0) return [new MountSpec("bind", _dir.Fs(key), ["rbind", "rw"])];
            return [new MountSpec("overlay", "overlay", [$"workdir={_dir.Work(key)}", $"upperdir={_dir.Fs(key)}", $"lowerdir={string.Join(':', lowers)}", "index=off"])];
        }
        if (info.Kind == SnapshotKind.Committed) lowers.Insert(0, _dir.Fs(key));
        return lowers.Count switch
        {
            0 => [new MountSpec("bind", _dir.Fs(key), ["rbind", "ro"])],
            1 => [new MountSpec("bind", lowers[0], ["rbind", "ro"])],
            _ => [new MountSpec("overlay", "overlay", [$"lowerdir={string.Join(':', lowers)}", "index=off", "ro"])],
        };
    }

    public string ApplyDir(string key) => _dir.Fs(_dir.Require(key).Key);

    public IReadOnlyList<string> LowerDirs(string key) => _dir.Chain(_dir.Require(key).Parent).Select(p => _dir.Fs(p.Key)).ToList();

    public IReadOnlyList<string> ChainDirs(string key) => _dir.Chain(key).Select(p => _dir.Fs(p.Key)).ToList();

    public void Commit(string name, string key, string? rebaseOnto = null) => _dir.Commit(name, key, rebaseOnto);
    public void Remove(string key) => _dir.Remove(key);
    public long Usage(string key) => SnapshotDirectory.DiskUsage(_dir.Fs(_dir.Require(key).Key));

    public void Diff(string key, Stream output) => LayerWriter.WriteOverlayUpper(_dir.Fs(_dir.Require(key).Key), output);
}
