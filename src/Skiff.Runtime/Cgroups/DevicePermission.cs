using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Cgroups;

/// <summary>
/// A validated linux.resources.devices rule: allow/deny, type ('a' all, 'c' char, 'b' block), major/minor (null = any)
/// and access bits (m = mknod, r = read, w = write). Both the v1 devices files and the v2 eBPF filter use it.
/// </summary>
public readonly record struct DevicePermission(bool Allow, char Type, long? Major, long? Minor, int Access)
{
    public const int Mknod = 1, Read = 2, Write = 4, All = Mknod | Read | Write;

    public static DevicePermission From(DeviceRule rule)
    {
        var type = string.IsNullOrEmpty(rule.Type) ? 'a' : rule.Type.Length == 1 ? rule.Type[0] : '?';
        if (type is not ('a' or 'c' or 'b' or 'u'))
            throw new CgroupException("devices", $"device rule type \"{rule.Type}\" is not one of a, c, b");
        if (type == 'u') type = 'c'; // unbuffered char devices are char devices to the kernel
        int access = 0;
        foreach (var ch in string.IsNullOrEmpty(rule.Access) ? "rwm" : rule.Access)
        {
            access |= ch switch
            {
                'r' => Read, 'w' => Write, 'm' => Mknod,
                _ => throw new CgroupException("devices", $"device rule access \"{rule.Access}\" has '{ch}' (want r, w, m)"),
            };
        }
        return new DevicePermission(rule.Allow, type, Number(rule.Major, "major"), Number(rule.Minor, "minor"), access);
    }

    static long? Number(long? n, string what)
    {
        if (n is null or -1) return null;
        if (n < 0 || n > uint.MaxValue) throw new CgroupException("devices", $"device rule {what} {n} is out of range");
        return n;
    }

    /// <summary>The v1 devices.allow/deny text: "c 1:3 rwm", "a *:* rwm".</summary>
    public string V1Text
    {
        get
        {
            var acc = ((Access & Read) != 0 ? "r" : "") + ((Access & Write) != 0 ? "w" : "") + ((Access & Mknod) != 0 ? "m" : "");
            return $"{Type} {(Major?.ToString() ?? "*")}:{(Minor?.ToString() ?? "*")} {acc}";
        }
    }
}
