using Skiff.Images.Layers;

namespace Skiff.Images.Snapshots.Copy;

/// <summary>The fallback that needs no kernel support: every snapshot is a full copy of its parent's tree, and whiteouts
/// delete. Slower and larger than overlayfs, but works on any filesystem (including overlay itself).</summary>
public sealed class CopySnapshotter(string root) : ISnapshotter
{
    readonly SnapshotDirectory _dir = new(root);

    public string Name => "copy";
    public bool CanRebase => false;
    public WhiteoutStyle Whiteouts => WhiteoutStyle.Delete;
    public SnapshotDirectory Store => _dir;

    public SnapshotInfo? Stat(string key) => _dir.Stat(key);
    public IReadOnlyList<SnapshotInfo> List() => _dir.List();

    public IReadOnlyList<MountSpec> Prepare(string key, string? parent, Dictionary<string, string>? labels = null)
    {
        _dir.Create(key, SnapshotKind.Active, parent, labels, withWork: false);
        if (parent is not null) TreeCopy.Copy(_dir.Fs(parent), _dir.Fs(key));
        return Mounts(key);
    }

    public IReadOnlyList<MountSpec> View(string key, string? parent, Dictionary<string, string>? labels = null)
    {
        _dir.Create(key, SnapshotKind.View, parent, labels, withWork: false);
        if (parent is not null) TreeCopy.Copy(_dir.Fs(parent), _dir.Fs(key));
        return Mounts(key);
    }

    public IReadOnlyList<MountSpec> Mounts(string key)
    {
        var info = _dir.Require(key);
        return [new MountSpec("bind", _dir.Fs(key), ["rbind", info.Kind == SnapshotKind.Active ? "rw" : "ro"])];
    }

    public string ApplyDir(string key) => _dir.Fs(_dir.Require(key).Key);
    public IReadOnlyList<string> LowerDirs(string key) => [];
    public IReadOnlyList<string> ChainDirs(string key) => [_dir.Fs(_dir.Require(key).Key)];

    public void Commit(string name, string key, string? rebaseOnto = null)
    {
        if (rebaseOnto is not null && rebaseOnto != _dir.Require(key).Parent)
            throw new NotSupportedException("the copy snapshotter cannot rebase");
        _dir.Commit(name, key, null);
    }

    public void Remove(string key) => _dir.Remove(key);
    public long Usage(string key) => SnapshotDirectory.DiskUsage(_dir.Fs(_dir.Require(key).Key));

    public void Diff(string key, Stream output)
    {
        var info = _dir.Require(key);
        if (info.Parent is null) LayerWriter.WriteTree(_dir.Fs(key), output);
        else LayerWriter.WriteDiff(_dir.Fs(info.Parent), _dir.Fs(key), output);
    }
}
