using System.Globalization;
using Skiff.Linux;

namespace Skiff.Build.Execution;

/// <summary>Resolves "user[:group]" (names or numbers) against a stage root's /etc/passwd and /etc/group, read inside
/// the root (openat2 RESOLVE_IN_ROOT), as docker does for USER and --chown.</summary>
public static class UserDb
{
    public sealed record Identity(uint Uid, uint Gid, IReadOnlyList<uint> AdditionalGids, string? Home);

    /// <param name="forChown">--chown: a numeric user without a group gets gid = uid and no supplementary groups (as
    /// BuildKit); USER gets the user's primary group and its supplementary groups from /etc/group.</param>
    public static Identity Resolve(string root, string spec, string what, bool forChown = false)
    {
        var (userPart, groupPart) = spec.IndexOf(':') is var i and >= 0 ? (spec[..i], spec[(i + 1)..]) : (spec, null);
        var passwd = ReadLines(root, "/etc/passwd");
        uint uid, gid;
        string? home = null;
        string? userName = null;
        if (uint.TryParse(userPart, NumberStyles.None, CultureInfo.InvariantCulture, out uid))
        {
            var entry = passwd.Select(l => l.Split(':')).FirstOrDefault(f => f.Length >= 7 && f[2] == userPart);
            gid = forChown ? uid : entry is not null && uint.TryParse(entry[3], out var g0) ? g0 : 0;
            home = entry?[5];
            userName = entry?[0];
        }
        else
        {
            var entry = passwd.Select(l => l.Split(':')).FirstOrDefault(f => f.Length >= 7 && f[0] == userPart)
                ?? throw new BuildException($"{what}: unable to find user {userPart}: no matching entries in passwd file");
            uid = uint.Parse(entry[2], CultureInfo.InvariantCulture);
            gid = uint.Parse(entry[3], CultureInfo.InvariantCulture);
            home = entry[5];
            userName = entry[0];
        }
        var extra = new List<uint>();
        var groups = groupPart is not null || (!forChown && userName is not null) ? ReadLines(root, "/etc/group") : [];
        if (groupPart is not null)
        {
            if (!uint.TryParse(groupPart, NumberStyles.None, CultureInfo.InvariantCulture, out gid))
            {
                var g = groups.Select(l => l.Split(':')).FirstOrDefault(f => f.Length >= 3 && f[0] == groupPart)
                    ?? throw new BuildException($"{what}: unable to find group {groupPart}: no matching entries in group file");
                gid = uint.Parse(g[2], CultureInfo.InvariantCulture);
            }
        }
        else if (!forChown && userName is not null)
        {
            foreach (var f in groups.Select(l => l.Split(':')))
                if (f.Length >= 4 && f[3].Split(',').Contains(userName) && uint.TryParse(f[2], out var g) && g != gid && !extra.Contains(g))
                    extra.Add(g);
        }
        return new Identity(uid, gid, extra, home);
    }

    static List<string> ReadLines(string root, string path)
    {
        using var rootFd = Files.Open(root, Files.O_PATH | Files.O_DIRECTORY | Files.O_CLOEXEC);
        using var fd = Linux.Resolve.TryInRoot(rootFd.Value, path, Files.O_RDONLY, out _);
        if (!fd.IsValid) return [];
        return Files.ReadToEnd(fd.Value).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }
}
