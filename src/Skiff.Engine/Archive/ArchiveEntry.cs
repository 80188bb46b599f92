namespace Skiff.Engine.Archive;

/// <summary>One file-system object passed from a source (a tree walk or a tar stream) to a sink (a directory or a tar
/// stream). <see cref="Name"/> is relative, '/'-separated, without a trailing slash.</summary>
internal sealed class ArchiveEntry
{
    public string Name { get; set; } = "";
    /// <summary>st_mode: type bits and permissions.</summary>
    public uint Mode { get; init; }
    public uint Uid { get; init; }
    public uint Gid { get; init; }
    public long Size { get; init; }
    public long MtimeSec { get; init; }
    public long MtimeNsec { get; init; }
    public string LinkTarget { get; init; } = "";
    /// <summary>A hard link to the entry of this name, written earlier in the same copy.</summary>
    public string? HardlinkTo { get; init; }
    public ulong Rdev { get; init; }
    /// <summary>Exactly <see cref="Size"/> bytes of a regular file's content (may end early if the file shrank).</summary>
    public Stream? Data { get; init; }

    public uint Type => Mode & Skiff.Linux.Files.S_IFMT;
    public bool IsDirectory => Type == Skiff.Linux.Files.S_IFDIR;
}

internal interface IArchiveSink
{
    void Add(ArchiveEntry e);
    void Finish();
}
