using Skiff.Linux;
using Skiff.Runtime.Spec;

namespace Skiff.Engine.Specs;

/// <summary>--privileged: every character and block device of the host's /dev appears in the container.</summary>
public static class HostDevices
{
    static readonly string[] Skip = ["/dev/pts", "/dev/shm", "/dev/mqueue", "/dev/hugepages", "/dev/console", "/dev/ptmx",
        "/dev/fd", "/dev/stdin", "/dev/stdout", "/dev/stderr"];

    public static List<Device> All()
    {
        var l = new List<Device>();
        Walk("/dev", l);
        return l;
    }

    static void Walk(string dir, List<Device> into)
    {
        IEnumerable<string> entries;
        try { entries = Directory.EnumerateFileSystemEntries(dir).ToList(); } catch (IOException) { return; } catch (UnauthorizedAccessException) { return; }
        foreach (var p in entries)
        {
            if (Skip.Contains(p)) continue;
            if (!Files.TryStatAt(Files.AT_FDCWD, p, Files.AT_SYMLINK_NOFOLLOW, out var st, out _)) continue;
            var kind = st.Mode & Files.S_IFMT;
            if (kind == Files.S_IFDIR) { Walk(p, into); continue; }
            if (kind != Files.S_IFCHR && kind != Files.S_IFBLK) continue;
            into.Add(new Device
            {
                Type = kind == Files.S_IFCHR ? "c" : "b", Path = p,
                Major = (long)((st.Rdev >> 8) & 0xfff | (st.Rdev >> 32) & ~0xfffUL),
                Minor = (long)(st.Rdev & 0xff | (st.Rdev >> 12) & ~0xffUL),
                FileMode = st.Mode & 0xfff, Uid = st.Uid, Gid = st.Gid,
            });
        }
    }
}
