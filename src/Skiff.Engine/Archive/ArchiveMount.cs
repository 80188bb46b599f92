namespace Skiff.Engine.Archive;

/// <summary>A mount of a stopped container that <c>cp</c> must see at <see cref="Destination"/> (volume or bind):
/// <see cref="Source"/> is the host directory or file. Running containers need none: their mounts are reached through
/// /proc/&lt;pid&gt;/root.</summary>
public sealed record ArchiveMount(string Destination, string Source, bool ReadOnly = false);
