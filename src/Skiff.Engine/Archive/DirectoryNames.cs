namespace Skiff.Engine.Archive;

/// <summary>The entry names of a directory held open as an fd. Listing goes through <c>/proc/self/fd/N</c>, which is
/// the very directory the fd holds (no path is re-resolved), so a rename or symlink swap in the tree cannot redirect it;
/// callers then open each name relative to the fd.</summary>
internal static class DirectoryNames
{
    public static List<string> Of(int dirFd)
    {
        var names = new List<string>();
        var opts = new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = false, ReturnSpecialDirectories = false };
        foreach (var p in Directory.EnumerateFileSystemEntries($"/proc/self/fd/{dirFd}", "*", opts))
            names.Add(Path.GetFileName(p));
        names.Sort(StringComparer.Ordinal);
        return names;
    }
}
