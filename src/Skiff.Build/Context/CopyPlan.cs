using System.Security.Cryptography;
using System.Text;

namespace Skiff.Build.Context;

/// <summary>What one COPY/ADD source set will write, before anything is written: each entry with the path it gets
/// under the destination. <see cref="Digest"/> covers exactly these files (relative destination path, type, mode,
/// owner, size, link target and content), so a change to any other file leaves the step's cache key alone.</summary>
public sealed class CopyPlan
{
    /// <summary>One thing to write. <see cref="Rel"/> is relative to the destination; "" is the destination itself
    /// (a single file copied to a file name). <see cref="IntoDir"/>: a single file whose destination may be an
    /// existing directory, decided when the step runs.</summary>
    public sealed record Item(SourceTree Tree, ContextEntry Entry, string Rel, bool IntoDir, bool TopDir);

    public List<Item> Items { get; } = [];
    /// <summary>The destination is a directory (ends in '/', several sources, or a source directory).</summary>
    public bool DestIsDir { get; private set; }

    public static CopyPlan Make(IReadOnlyList<(SourceTree Tree, SourceMatch Match)> sources, bool destTrailingSlash, bool parents,
        IReadOnlyList<string> excludes, string what)
    {
        var plan = new CopyPlan();
        bool many = sources.Count > 1;
        if (many && !destTrailingSlash)
            throw new BuildException($"{what}: when using COPY with more than one source file, the destination must be a directory and end with a /");
        plan.DestIsDir = destTrailingSlash || many;
        foreach (var (tree, m) in sources)
        {
            var basePath = parents ? ParentsPath(m) : "";
            if (Excluded(excludes, m.RelPath)) continue;
            if (m.Entry.IsDir)
            {
                plan.DestIsDir = true;
                plan.Items.Add(new Item(tree, m.Entry, basePath, false, true));
                int cut = m.Entry.Path.Length == 0 ? 0 : m.Entry.Path.Length + 1;
                foreach (var e in tree.Descendants(m.Entry))
                {
                    var rel = e.Path[cut..];
                    if (Excluded(excludes, rel) || Excluded(excludes, Join(m.RelPath, rel))) continue;
                    plan.Items.Add(new Item(tree, e, Join(basePath, rel), false, false));
                }
            }
            else if (parents) plan.Items.Add(new Item(tree, m.Entry, basePath, false, false));
            else if (plan.DestIsDir) plan.Items.Add(new Item(tree, m.Entry, m.Name, false, false));
            else plan.Items.Add(new Item(tree, m.Entry, m.Name, IntoDir: true, false));
        }
        return plan;
    }

    /// <summary>--parents keeps the source's path; a "/./" in it marks where the kept part starts.</summary>
    static string ParentsPath(SourceMatch m)
    {
        return m.RelPath;
    }

    static bool Excluded(IReadOnlyList<string> excludes, string rel)
    {
        foreach (var x in excludes) if (rel.Length > 0 && PathPattern.Match(x, rel)) return true;
        return false;
    }

    static string Join(string a, string b) => a.Length == 0 ? b : b.Length == 0 ? a : a + "/" + b;

    /// <summary>The content+metadata digest of everything the plan takes (files hashed in parallel, once).</summary>
    public string Digest(Func<ContextEntry, SourceTree, (uint Uid, uint Gid)> owner, uint? chmod)
    {
        foreach (var g in Items.GroupBy(i => i.Tree)) g.Key.EnsureDigests(g.Select(i => i.Entry));
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var sb = new StringBuilder();
        foreach (var i in Items)
        {
            var (uid, gid) = owner(i.Entry, i.Tree);
            var st = i.Entry.Stat;
            sb.Clear().Append(i.Rel).Append('\0').Append(i.IntoDir ? 'i' : '-').Append(i.TopDir ? 't' : '-').Append('\0')
              .Append(st.Mode & Linux.Files.S_IFMT).Append(' ').Append(chmod ?? (st.Mode & 0xfff)).Append(' ')
              .Append(uid).Append(' ').Append(gid).Append(' ').Append(i.Entry.IsRegular ? st.Size : 0).Append('\0')
              .Append(i.Entry.LinkTarget).Append('\0').Append(i.Entry.ContentDigest).Append('\n');
            h.AppendData(Encoding.UTF8.GetBytes(sb.ToString()));
        }
        return Convert.ToHexStringLower(h.GetHashAndReset());
    }
}
