namespace Skiff.Build.Context;

/// <summary>One source a COPY/ADD names, after globbing: the entry (symlinks followed) and the name it is copied under.</summary>
public sealed record SourceMatch(ContextEntry Entry, string Name, string RelPath);

public static class SourceExpansion
{
    /// <summary>Expands a source argument into the entries it names. A literal path that is missing or excluded, or a
    /// pattern that matches nothing, is an error naming the instruction and the path.</summary>
    public static List<SourceMatch> Expand(SourceTree tree, string source, string what)
    {
        var clean = tree.Clean(source, what);
        if (!Glob.HasMeta(clean))
        {
            var e = tree.Follow(clean, what);
            if (e is null || (tree.Excluded(e) && !(e.IsDir && tree.Descendants(e).Count > 0)))
                throw new BuildException(tree.IsContext
                    ? $"{what}: \"{source}\" not found in the build context (or excluded by .dockerignore)"
                    : $"{what}: \"{source}\" not found in {tree.Label}");
            var name = clean.Length == 0 ? "" : clean[(clean.LastIndexOf('/') + 1)..];
            return [new SourceMatch(e, name, clean)];
        }
        var current = new List<(ContextEntry Dir, string Rel)> { (tree.Get("")!, "") };
        var parts = clean.Split('/');
        var result = new List<SourceMatch>();
        for (int i = 0; i < parts.Length; i++)
        {
            var next = new List<(ContextEntry, string)>();
            bool last = i == parts.Length - 1;
            foreach (var (dir, rel) in current)
            {
                var d = dir.IsSymlink ? tree.Follow(dir.Path, what) : dir;
                if (d is null || !d.IsDir) continue;
                foreach (var c in tree.Children(d))
                {
                    if (!Glob.Match(parts[i], c.Name)) continue;
                    var childRel = rel.Length == 0 ? c.Name : rel + "/" + c.Name;
                    next.Add((c, childRel));
                }
            }
            current = next;
            if (last)
                foreach (var (e, rel) in current)
                {
                    var target = e.IsSymlink ? tree.Follow(e.Path, what) : e;
                    if (target is null) continue;
                    if (tree.Excluded(e) && !(target.IsDir && tree.Descendants(target).Count > 0)) continue;
                    result.Add(new SourceMatch(target, e.Name, rel));
                }
        }
        if (result.Count == 0)
            throw new BuildException($"{what}: no source files were specified: \"{source}\" matches nothing in {tree.Label}");
        return result;
    }
}
