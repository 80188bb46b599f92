using Skiff.Build.Context;
using Skiff.Linux;

namespace Skiff.Build.Execution;

/// <summary>Carries out a <see cref="CopyPlan"/> in a mounted root with docker's COPY semantics: a directory's contents
/// (not the directory) go into the destination, a single file goes to the destination name or into it when it is an
/// existing directory; context files belong to root unless --chown; modes are kept unless --chmod; mtimes are kept.</summary>
public static class FileCopy
{
    public static void Apply(RootWriter w, CopyPlan plan, string dest, (uint Uid, uint Gid)? chown, uint? chmod)
    {
        dest = RootWriter.Normalize(dest);
        var owner = (ContextEntry e, SourceTree t) => chown ?? (t.IsContext ? (0u, 0u) : (e.Stat.Uid, e.Stat.Gid));
        var (du, dg) = chown ?? (0u, 0u);
        if (plan.DestIsDir) w.Mkdir(dest, null, du, dg);
        var dirTimes = new List<(string Path, long Sec, long Nsec)>();
        foreach (var item in plan.Items)
        {
            var e = item.Entry;
            string target;
            if (item.IntoDir) target = w.IsDir(dest) ? Join(dest, item.Rel) : dest;
            else target = Join(dest, item.Rel);
            var (uid, gid) = owner(e, item.Tree);
            var st = e.Stat;
            uint mode = chmod ?? (st.Mode & 0xfff);
            if (e.IsDir)
            {
                if (item.TopDir && item.Rel.Length == 0) { w.Mkdir(target, null, du, dg); continue; }
                w.Mkdir(target, mode, uid, gid);
                dirTimes.Add((target, st.Mtime, st.MtimeNsec));
            }
            else if (e.IsRegular)
            {
                using var src = new FileStream(item.Tree.HostPath(e), FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
                w.WriteFile(target, src, mode, uid, gid, st.Mtime, st.MtimeNsec);
            }
            else if (e.IsSymlink) w.Symlink(target, e.LinkTarget!, uid, gid, st.Mtime, st.MtimeNsec);
            // sockets, fifos and devices in a context are not copied (docker skips them too)
        }
        for (int i = dirTimes.Count - 1; i >= 0; i--) w.SetTimes(dirTimes[i].Path, dirTimes[i].Sec, dirTimes[i].Nsec);
    }

    static string Join(string a, string b) => b.Length == 0 ? a : a == "/" ? "/" + b : a + "/" + b;

    /// <summary>Parses --chmod (octal, as docker accepts it).</summary>
    public static uint? ParseChmod(string? chmod, string what)
    {
        if (string.IsNullOrEmpty(chmod)) return null;
        try
        {
            var v = Convert.ToUInt32(chmod, 8);
            if (v > 0xfff) throw new FormatException();
            return v;
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            throw new BuildException($"{what}: --chmod={chmod}: not an octal mode");
        }
    }
}
