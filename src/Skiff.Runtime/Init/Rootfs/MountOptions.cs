using static Skiff.Linux.Mounts;

namespace Skiff.Runtime.Init.Rootfs;

/// <summary>A mount's "options" list split into mount(2) flags, propagation flags and filesystem data.</summary>
public sealed record MountOptions(ulong Flags, ulong ClearFlags, ulong Propagation, string Data, bool Recursive)
{
    static readonly Dictionary<string, (bool Clear, ulong Flag)> FlagOptions = new()
    {
        ["ro"] = (false, MS_RDONLY), ["rw"] = (true, MS_RDONLY),
        ["nosuid"] = (false, MS_NOSUID), ["suid"] = (true, MS_NOSUID),
        ["nodev"] = (false, MS_NODEV), ["dev"] = (true, MS_NODEV),
        ["noexec"] = (false, MS_NOEXEC), ["exec"] = (true, MS_NOEXEC),
        ["sync"] = (false, MS_SYNCHRONOUS), ["async"] = (true, MS_SYNCHRONOUS),
        ["dirsync"] = (false, MS_DIRSYNC), ["remount"] = (false, MS_REMOUNT),
        ["mand"] = (false, MS_MANDLOCK), ["nomand"] = (true, MS_MANDLOCK),
        ["atime"] = (true, MS_NOATIME), ["noatime"] = (false, MS_NOATIME),
        ["diratime"] = (true, MS_NODIRATIME), ["nodiratime"] = (false, MS_NODIRATIME),
        ["relatime"] = (false, MS_RELATIME), ["norelatime"] = (true, MS_RELATIME),
        ["strictatime"] = (false, MS_STRICTATIME), ["nostrictatime"] = (true, MS_STRICTATIME),
        ["lazytime"] = (false, MS_LAZYTIME), ["nolazytime"] = (true, MS_LAZYTIME),
        ["nosymfollow"] = (false, MS_NOSYMFOLLOW), ["symfollow"] = (true, MS_NOSYMFOLLOW),
        ["silent"] = (false, MS_SILENT), ["loud"] = (true, MS_SILENT),
        ["bind"] = (false, MS_BIND), ["rbind"] = (false, MS_BIND | MS_REC),
    };

    static readonly Dictionary<string, ulong> PropagationOptions = new()
    {
        ["private"] = MS_PRIVATE, ["rprivate"] = MS_PRIVATE | MS_REC, ["shared"] = MS_SHARED,
        ["rshared"] = MS_SHARED | MS_REC, ["slave"] = MS_SLAVE, ["rslave"] = MS_SLAVE | MS_REC,
        ["unbindable"] = MS_UNBINDABLE, ["runbindable"] = MS_UNBINDABLE | MS_REC,
    };

    /// <summary>Options Skiff accepts and ignores (no kernel meaning; runc accepts them too).</summary>
    static readonly HashSet<string> Ignored = ["tmpcopyup", "defaults", "auto", "noauto", "user", "nouser", "_netdev"];

    public bool IsBind => (Flags & MS_BIND) != 0;

    public static MountOptions Parse(IReadOnlyList<string>? options)
    {
        ulong flags = 0, clear = 0, propagation = 0;
        var data = new List<string>();
        foreach (var o in options ?? [])
        {
            if (FlagOptions.TryGetValue(o, out var f))
            {
                if (f.Clear) { flags &= ~f.Flag; clear |= f.Flag; }
                else { flags |= f.Flag; clear &= ~f.Flag; }
            }
            else if (PropagationOptions.TryGetValue(o, out var p)) propagation |= p;
            else if (o is "idmap" or "ridmap")
                throw new RuntimeException("mount options", $"\"{o}\" (id-mapped mounts) is not supported by this version of oar");
            else if (!Ignored.Contains(o)) data.Add(o);
        }
        return new MountOptions(flags, clear, propagation, string.Join(',', data), (flags & MS_REC) != 0);
    }

    /// <summary>The single propagation flag, if any, and whether it is recursive.</summary>
    public static IEnumerable<ulong> PropagationSteps(ulong propagation)
    {
        ulong rec = propagation & MS_REC;
        foreach (var f in new[] { MS_SHARED, MS_SLAVE, MS_PRIVATE, MS_UNBINDABLE })
            if ((propagation & f) != 0) yield return f | rec;
    }
}
