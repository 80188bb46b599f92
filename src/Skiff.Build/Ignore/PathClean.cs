namespace Skiff.Build.Ignore;

/// <summary>Go's <c>path.Clean</c> on slash paths: collapses duplicate slashes, drops <c>.</c> elements, resolves
/// <c>..</c> against the element before it (kept at the start of a relative path, dropped at the root), no trailing
/// slash; empty becomes <c>.</c>.</summary>
public static class PathClean
{
    public static string Clean(string path)
    {
        if (path.Length == 0) return ".";
        bool rooted = path[0] == '/';
        var parts = new List<string>();
        foreach (var p in path.Split('/'))
        {
            if (p.Length == 0 || p == ".") continue;
            if (p == "..")
            {
                if (parts.Count > 0 && parts[^1] != "..") parts.RemoveAt(parts.Count - 1);
                else if (!rooted) parts.Add("..");
                continue;
            }
            parts.Add(p);
        }
        string joined = string.Join('/', parts);
        if (rooted) return "/" + joined;
        return joined.Length == 0 ? "." : joined;
    }
}
