using System.Security.Cryptography;
using Skiff.Linux;

namespace Skiff.Build.Context;

/// <summary>A tree that COPY/ADD take files from: the build context (with .dockerignore exclusions, symlinks that
/// leave it refused) or another stage's/image's root (symlinks resolved inside it, as in a chroot). Directories are
/// listed lazily, each at most once; regular files are hashed at most once (through <see cref="ContextIndex"/> for the
/// context, so an unchanged file is only stat'ed).</summary>
public sealed class SourceTree
{
    readonly Dictionary<string, ContextEntry?> _entries = new(StringComparer.Ordinal);
    readonly Dictionary<string, List<ContextEntry>> _children = new(StringComparer.Ordinal);
    readonly Func<string, bool, bool>? _excluded;
    readonly ContextIndex? _index;
    readonly object _gate = new();

    /// <param name="root">the directory on the host</param>
    /// <param name="isContext">true for the build context: escapes are errors; false for a stage root: chroot semantics</param>
    /// <param name="excluded">(relative path, is directory) → excluded by .dockerignore</param>
    public SourceTree(string root, bool isContext, Func<string, bool, bool>? excluded = null, ContextIndex? index = null, string? label = null)
    {
        Root = System.IO.Path.GetFullPath(root);
        IsContext = isContext;
        _excluded = excluded;
        _index = index;
        Label = label ?? (isContext ? "build context" : Root);
    }

    public string Root { get; }
    public bool IsContext { get; }
    public string Label { get; }

    public string HostPath(ContextEntry e) => e.Path.Length == 0 ? Root : System.IO.Path.Combine(Root, e.Path);

    public ContextEntry? Get(string rel)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(rel, out var e)) return e;
            var full = rel.Length == 0 ? Root : System.IO.Path.Combine(Root, rel);
            e = null;
            if (Files.TryStatAt(Files.AT_FDCWD, full, Files.AT_SYMLINK_NOFOLLOW, out var st, out _))
            {
                string? link = (st.Mode & Files.S_IFMT) == Files.S_IFLNK ? Files.ReadlinkAt(Files.AT_FDCWD, full) : null;
                e = new ContextEntry { Path = rel, Stat = st, LinkTarget = link };
            }
            _entries[rel] = e;
            return e;
        }
    }

    public bool Excluded(ContextEntry e) => _excluded is not null && e.Path.Length > 0 && _excluded(e.Path, e.IsDir);

    /// <summary>The entries of a directory, sorted by name, excluded ones left out.</summary>
    public IReadOnlyList<ContextEntry> Children(ContextEntry dir)
    {
        lock (_gate) { if (_children.TryGetValue(dir.Path, out var c)) return c; }
        var list = new List<ContextEntry>();
        var names = new List<string>();
        foreach (var p in Directory.EnumerateFileSystemEntries(HostPath(dir))) names.Add(System.IO.Path.GetFileName(p));
        names.Sort(StringComparer.Ordinal);
        foreach (var n in names)
        {
            var e = Get(dir.Path.Length == 0 ? n : dir.Path + "/" + n);
            if (e is null) continue;
            if (Excluded(e) && !(e.IsDir && _excluded is not null)) continue;
            list.Add(e);
        }
        lock (_gate) _children[dir.Path] = list;
        return list;
    }

    /// <summary>All entries under a directory (not the directory itself), parents before children. An excluded directory
    /// is still entered (a "!" exception may bring back files in it) but only appears when something in it is kept.</summary>
    public List<ContextEntry> Descendants(ContextEntry dir)
    {
        var result = new List<ContextEntry>();
        Walk(dir, result);
        return result;
    }

    bool Walk(ContextEntry dir, List<ContextEntry> into)
    {
        bool any = false;
        foreach (var c in Children(dir))
        {
            bool excl = Excluded(c);
            if (c.IsDir)
            {
                int at = into.Count;
                into.Add(c);
                bool inner = Walk(c, into);
                if (excl && !inner) { into.RemoveAt(at); continue; }
                any = true;
            }
            else if (!excl) { into.Add(c); any = true; }
        }
        return any;
    }

    /// <summary>Cleans a source path the user wrote: relative to the tree's root, no "." or ".." parts. For the
    /// context, a path that climbs above the root is refused.</summary>
    public string Clean(string path, string what)
    {
        var parts = new List<string>();
        foreach (var p in path.Replace('\\', '/').Split('/'))
        {
            if (p.Length == 0 || p == ".") continue;
            if (p == "..")
            {
                if (parts.Count == 0)
                {
                    if (IsContext) throw new BuildException($"{what}: forbidden path outside the build context: {path}");
                    continue;
                }
                parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(p);
        }
        return string.Join('/', parts);
    }

    /// <summary>Follows symlinks in <paramref name="rel"/> inside the tree. In the context a link that leads outside (an
    /// absolute target or too many "..") is refused; in a stage root it is resolved as in a chroot.</summary>
    public ContextEntry? Follow(string rel, string what, bool followLast = true)
    {
        var parts = new Queue<string>(rel.Split('/', StringSplitOptions.RemoveEmptyEntries));
        var cur = new List<string>();
        int links = 0;
        while (parts.Count > 0)
        {
            var p = parts.Dequeue();
            if (p == ".") continue;
            if (p == "..")
            {
                if (cur.Count == 0) { if (IsContext) throw Escape(what, rel); continue; }
                cur.RemoveAt(cur.Count - 1);
                continue;
            }
            cur.Add(p);
            var e = Get(string.Join('/', cur));
            if (e is null) return null;
            if (e.IsSymlink && (parts.Count > 0 || followLast))
            {
                if (++links > 40) throw new BuildException($"{what}: too many levels of symbolic links: {rel}");
                cur.RemoveAt(cur.Count - 1);
                var target = e.LinkTarget!;
                if (target.StartsWith('/'))
                {
                    if (IsContext) throw Escape(what, rel);
                    cur.Clear();
                }
                var rest = parts.ToList();
                parts = new Queue<string>(target.Split('/', StringSplitOptions.RemoveEmptyEntries).Concat(rest));
            }
        }
        return Get(string.Join('/', cur));
    }

    static BuildException Escape(string what, string rel)
        => new($"{what}: {rel}: a symlink leads outside the build context (refused)");

    /// <summary>Hashes every regular file in <paramref name="entries"/> that has no digest yet, in parallel.</summary>
    public void EnsureDigests(IEnumerable<ContextEntry> entries)
    {
        var todo = new List<ContextEntry>();
        foreach (var e in entries)
        {
            if (!e.IsRegular || e.ContentDigest is not null) continue;
            if (_index?.Lookup(e.Path, e.Stat) is { } d) { e.ContentDigest = d; continue; }
            todo.Add(e);
        }
        if (todo.Count == 0) return;
        Parallel.ForEach(todo, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(2, Environment.ProcessorCount) }, e =>
        {
            using var f = new FileStream(HostPath(e), FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            e.ContentDigest = Convert.ToHexStringLower(SHA256.HashData(f));
            if (!e.Path.Contains('\n')) _index?.Remember(e.Path, e.Stat, e.ContentDigest);
        });
    }
}
