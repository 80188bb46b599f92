using Skiff.Linux;

namespace Skiff.Engine.Volumes;

/// <summary>The local driver's <c>--opt</c> keys as docker reads them: <c>type</c> (a filesystem type, <c>tmpfs</c>, or
/// <c>none</c> with <c>o=bind</c>), <c>device</c> (what to mount) and <c>o</c> (mount options, comma separated; flag
/// words like <c>ro</c>, <c>nosuid</c>, <c>bind</c> become MS_* flags, the rest is filesystem data). The mount happens
/// when a container first uses the volume. <c>size</c> (xfs project quota) and network filesystems are refused.</summary>
public sealed record LocalDriverOptions(string? Type, string? Device, string? Options)
{
    static readonly string[] Keys = ["type", "device", "o", "size"];

    public bool NeedsMount => Type is not null;

    public static LocalDriverOptions Parse(string name, IReadOnlyDictionary<string, string> opts)
    {
        foreach (var k in opts.Keys)
            if (!Keys.Contains(k)) throw new VolumeException($"create {name}: invalid option: \"{k}\"");
        if (opts.ContainsKey("size"))
            throw new VolumeException($"create {name}: quota size requested but no quota support");
        opts.TryGetValue("type", out var type);
        opts.TryGetValue("device", out var device);
        opts.TryGetValue("o", out var o);
        if (type is null && (device is not null || o is not null))
            throw new VolumeException($"create {name}: missing required option: \"type\"");
        if (type is "nfs" or "nfs4" or "cifs" or "smb3")
            throw new VolumeException($"create {name}: volume option type={type} (network filesystem) is not supported by skiff");
        var (flags, _) = SplitOptions(o);
        bool bind = (flags & Mounts.MS_BIND) != 0;
        if (type is not null && type != "tmpfs" && string.IsNullOrEmpty(device))
            throw new VolumeException($"create {name}: missing required option: \"device\"");
        if (bind && !Path.IsPathRooted(device))
            throw new VolumeException($"create {name}: option device=\"{device}\" must be an absolute host path for o=bind");
        return new LocalDriverOptions(type, device, o);
    }

    /// <summary>Mounts onto <paramref name="target"/> (the volume's _data).</summary>
    public void MountOn(string target, string volumeName)
    {
        var (flags, data) = SplitOptions(Options);
        string? fstype = Type is "none" ? null : Type;
        string source = Type == "tmpfs" ? "tmpfs" : Device!;
        if ((flags & Mounts.MS_BIND) != 0)
        {
            // A bind mount ignores flags on the first call; read-only and friends need a remount.
            Mounts.Mount(source, target, null, flags & (Mounts.MS_BIND | Mounts.MS_REC), null, $"volume {volumeName}");
            ulong extra = flags & ~(Mounts.MS_BIND | Mounts.MS_REC);
            if (extra != 0)
            {
                int e = Mounts.TryMount(null, target, null, Mounts.MS_REMOUNT | Mounts.MS_BIND | extra, null);
                if (e != 0)
                {
                    Mounts.TryUnmount(target, Mounts.MNT_DETACH);
                    throw new LinuxException("mount", target, e, $"remount of volume {volumeName}");
                }
            }
            return;
        }
        Mounts.Mount(source, target, fstype, flags, data.Length == 0 ? null : data, $"volume {volumeName}");
    }

    static readonly Dictionary<string, ulong> FlagWords = new(StringComparer.Ordinal)
    {
        ["ro"] = Mounts.MS_RDONLY, ["nosuid"] = Mounts.MS_NOSUID, ["nodev"] = Mounts.MS_NODEV,
        ["noexec"] = Mounts.MS_NOEXEC, ["sync"] = Mounts.MS_SYNCHRONOUS, ["dirsync"] = Mounts.MS_DIRSYNC,
        ["noatime"] = Mounts.MS_NOATIME, ["nodiratime"] = Mounts.MS_NODIRATIME, ["relatime"] = Mounts.MS_RELATIME,
        ["strictatime"] = Mounts.MS_STRICTATIME, ["bind"] = Mounts.MS_BIND, ["rbind"] = Mounts.MS_BIND | Mounts.MS_REC,
        ["rw"] = 0, ["suid"] = 0, ["dev"] = 0, ["exec"] = 0, ["defaults"] = 0,
    };

    internal static (ulong Flags, string Data) SplitOptions(string? o)
    {
        ulong flags = 0;
        var data = new List<string>();
        if (string.IsNullOrEmpty(o)) return (0, "");
        foreach (var part in o.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (FlagWords.TryGetValue(part, out var f)) flags |= f;
            else data.Add(part);
        }
        return (flags, string.Join(',', data));
    }
}
