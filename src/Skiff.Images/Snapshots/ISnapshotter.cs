using Skiff.Images.Layers;

namespace Skiff.Images.Snapshots;

/// <summary>Snapshots of filesystem trees in a parent chain (containerd's model): <see cref="Prepare"/> makes a writable
/// active snapshot on a committed parent, <see cref="Commit"/> freezes it under a name (a layer chain ID), views are
/// read-only. Every implementation passes the same test suite.</summary>
public interface ISnapshotter
{
    string Name { get; }

    /// <summary>A layer can be applied to an active snapshot whose parent is not there yet, and committed onto that parent
    /// later (overlayfs: each layer is its own directory). Lets pulls unpack layers in parallel.</summary>
    bool CanRebase { get; }

    /// <summary>How whiteouts of a layer are written into <see cref="ApplyDir"/>.</summary>
    WhiteoutStyle Whiteouts { get; }

    SnapshotInfo? Stat(string key);
    IReadOnlyList<SnapshotInfo> List();

    IReadOnlyList<MountSpec> Prepare(string key, string? parent, Dictionary<string, string>? labels = null);
    IReadOnlyList<MountSpec> View(string key, string? parent, Dictionary<string, string>? labels = null);
    IReadOnlyList<MountSpec> Mounts(string key);

    /// <summary>The directory a layer of active snapshot <paramref name="key"/> is applied into.</summary>
    string ApplyDir(string key);

    /// <summary>The directories under <see cref="ApplyDir"/>, top first, for lookups a layer needs (hardlinks into lower layers).</summary>
    IReadOnlyList<string> LowerDirs(string key);

    /// <summary>The directories that make up committed snapshot <paramref name="key"/> with its parents, top first.</summary>
    IReadOnlyList<string> ChainDirs(string key);

    /// <summary>Freezes active <paramref name="key"/> as <paramref name="name"/>. With <paramref name="rebaseOnto"/> (only
    /// when <see cref="CanRebase"/>) the committed snapshot's parent becomes that one.</summary>
    void Commit(string name, string key, string? rebaseOnto = null);

    /// <summary>Removes a snapshot; refused while another snapshot has it as parent.</summary>
    void Remove(string key);

    /// <summary>Bytes the snapshot's own files use on disk.</summary>
    long Usage(string key);

    /// <summary>Writes the changes of a snapshot against its parent as an uncompressed layer tar.</summary>
    void Diff(string key, Stream output);
}
