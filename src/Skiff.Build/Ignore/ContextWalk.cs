namespace Skiff.Build.Ignore;

/// <summary>Walks a build context and yields what docker would send: every entry the matcher does not exclude, plus
/// the directories leading to an entry a <c>!</c> pattern brought back (docker sends those parents even when they
/// match an exclude). Excluded directories nothing can re-include are not entered. Symlinks are reported, not
/// followed. Paths are relative, <c>/</c>-separated, parents before children, names in ordinal order.</summary>
public static class ContextWalk
{
    public readonly record struct Entry(string Path, bool IsDirectory, bool IsSymlink);

    public static IEnumerable<Entry> Enumerate(string root, IgnoreMatcher matcher)
    {
        var results = new List<Entry>();
        Walk(root, "", null, matcher, results, out _);
        return results;
    }

    /// <summary><paramref name="anyIncluded"/>: whether anything under <paramref name="rel"/> was included (the caller then keeps the directory).</summary>
    private static void Walk(string root, string rel, IgnoreMatcher.MatchState? parent, IgnoreMatcher matcher,
        List<Entry> results, out bool anyIncluded)
    {
        anyIncluded = false;
        var dir = new DirectoryInfo(rel.Length == 0 ? root : Path.Combine(root, rel));
        var entries = dir.EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal);
        foreach (var e in entries)
        {
            string path = rel.Length == 0 ? e.Name : rel + "/" + e.Name;
            var state = matcher.Match(path, parent);
            bool isLink = e.LinkTarget is not null;
            bool isDir = !isLink && (e.Attributes & FileAttributes.Directory) != 0;
            if (!isDir)
            {
                if (!state.Excluded) { results.Add(new Entry(path, false, isLink)); anyIncluded = true; }
                continue;
            }
            if (state.Excluded && matcher.CanSkipDirectory(path, state)) continue;
            int at = results.Count;
            results.Add(new Entry(path, true, false));
            Walk(root, path, state, matcher, results, out bool childIncluded);
            if (state.Excluded && !childIncluded) results.RemoveAt(at); // excluded and nothing brought back
            else anyIncluded = true;
        }
    }
}
