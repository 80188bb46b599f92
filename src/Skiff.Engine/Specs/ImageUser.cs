using Skiff.Linux;

namespace Skiff.Engine.Specs;

/// <summary>Resolves docker's `user` strings (name, uid, name:group, uid:gid, …) against the image's /etc/passwd and
/// /etc/group. The files are opened inside the rootfs with openat2(RESOLVE_IN_ROOT): a symlinked /etc/passwd in a
/// hostile image resolves inside the container, never to the host's file.</summary>
public static class ImageUser
{
    public sealed record Resolved(uint Uid, uint Gid, List<uint> AdditionalGids, string? Home, string? Name);

    public static Resolved Resolve(string rootfs, string? user, IEnumerable<string>? groupAdd = null)
    {
        using var root = Files.Open(rootfs, Files.O_PATH | Files.O_DIRECTORY | Files.O_CLOEXEC);
        var passwd = ReadInRoot(root.Value, "/etc/passwd");
        var group = ReadInRoot(root.Value, "/etc/group");
        var users = Parse(passwd, 7);
        var groups = Parse(group, 4);

        user = string.IsNullOrEmpty(user) ? "0" : user;
        var (u, g) = user.IndexOf(':') is var i and >= 0 ? (user[..i], user[(i + 1)..]) : (user, null);
        string[]? entry;
        uint uid;
        if (uint.TryParse(u, out uid))
            entry = users.FirstOrDefault(e => e[2] == u);
        else
        {
            entry = users.FirstOrDefault(e => e[0] == u)
                ?? throw EngineException.Invalid($"unable to find user {u}: no matching entries in passwd file");
            uid = uint.Parse(entry[2]);
        }
        uint gid = entry is not null && uint.TryParse(entry[3], out var pg) ? pg : 0;
        if (!string.IsNullOrEmpty(g))
        {
            if (!uint.TryParse(g, out gid))
            {
                var ge = groups.FirstOrDefault(e => e[0] == g)
                    ?? throw EngineException.Invalid($"unable to find group {g}: no matching entries in group file");
                gid = uint.Parse(ge[2]);
            }
        }
        var extra = new List<uint>();
        // Supplementary groups: those listing the user as a member (only when the primary group was not forced).
        if (entry is not null && string.IsNullOrEmpty(g))
            foreach (var ge in groups)
                if (ge.Length > 3 && ge[3].Split(',').Contains(entry[0]) && uint.TryParse(ge[2], out var sg) && sg != gid && !extra.Contains(sg))
                    extra.Add(sg);
        foreach (var add in groupAdd ?? [])
        {
            uint ag;
            if (!uint.TryParse(add, out ag))
            {
                var ge = groups.FirstOrDefault(e => e[0] == add)
                    ?? throw EngineException.Invalid($"unable to find group {add}: no matching entries in group file");
                ag = uint.Parse(ge[2]);
            }
            if (!extra.Contains(ag)) extra.Add(ag);
        }
        return new Resolved(uid, gid, extra, entry?[5], entry?[0]);
    }

    static string ReadInRoot(int rootFd, string path)
    {
        var fd = Skiff.Linux.Resolve.TryInRoot(rootFd, path, Files.O_RDONLY, out int e);
        if (!fd.IsValid)
        {
            if (e is Errno.ENOENT or Errno.ELOOP or Errno.ENOTDIR) return "";
            throw new LinuxException("openat2", path, e);
        }
        using (fd)
        {
            var st = Files.Fstat(fd.Value, path);
            if ((st.Mode & Files.S_IFMT) != Files.S_IFREG) return "";
            if (st.Size > 16 << 20) throw EngineException.Invalid($"{path} in the image is larger than 16 MiB");
            return Files.ReadToEnd(fd.Value);
        }
    }

    static List<string[]> Parse(string text, int fields)
    {
        var l = new List<string[]>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            var f = line.Split(':');
            if (f.Length < 3) continue;
            if (f.Length < fields) Array.Resize(ref f, fields);
            for (int i = 0; i < f.Length; i++) f[i] ??= "";
            l.Add(f);
        }
        return l;
    }
}
