using Skiff.Linux;

namespace Skiff.Build.Context;

/// <summary>One file, directory or symlink of a source tree (the build context or another stage's root), as lstat saw it.
/// <see cref="Path"/> is relative to the tree's root, '/'-separated, without a leading slash ("" is the root).</summary>
public sealed class ContextEntry
{
    public required string Path { get; init; }
    public required Files.Stat Stat { get; init; }
    public string? LinkTarget { get; init; }
    /// <summary>sha256 of a regular file's bytes, filled in on demand (<see cref="SourceTree.EnsureDigests"/>).</summary>
    public string? ContentDigest { get; set; }

    public uint Type => Stat.Mode & Files.S_IFMT;
    public bool IsDir => Type == Files.S_IFDIR;
    public bool IsRegular => Type == Files.S_IFREG;
    public bool IsSymlink => Type == Files.S_IFLNK;
    public string Name => Path.Length == 0 ? "" : Path[(Path.LastIndexOf('/') + 1)..];
}
