using Skiff.Linux;

namespace Skiff.Build.Tests.Fixtures;

/// <summary>A file tree as comparable lines: "path type mode uid:gid size link" (no times), sorted.</summary>
public static class TreeListing
{
    public static List<string> Of(string root, Func<string, bool>? skip = null)
    {
        var lines = new List<string>();
        Walk(root, "", lines, skip);
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    static void Walk(string root, string rel, List<string> lines, Func<string, bool>? skip)
    {
        foreach (var p in Directory.EnumerateFileSystemEntries(rel.Length == 0 ? root : Path.Combine(root, rel)))
        {
            var r = rel.Length == 0 ? Path.GetFileName(p) : rel + "/" + Path.GetFileName(p);
            if (skip?.Invoke("/" + r) == true) continue;
            var st = Files.StatAt(Files.AT_FDCWD, p, Files.AT_SYMLINK_NOFOLLOW);
            var type = (st.Mode & Files.S_IFMT) switch
            {
                Files.S_IFDIR => "d", Files.S_IFLNK => "l", Files.S_IFREG => "f", _ => "o",
            };
            var link = type == "l" ? Files.ReadlinkAt(Files.AT_FDCWD, p) : "";
            var size = type == "f" ? st.Size : 0;
            lines.Add($"/{r} {type} {Convert.ToString(st.Mode & 0xfff, 8)} {st.Uid}:{st.Gid} {size} {link}");
            if (type == "d") Walk(root, r, lines, skip);
        }
    }
}
