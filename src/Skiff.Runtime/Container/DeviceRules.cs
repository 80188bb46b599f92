using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Container;

/// <summary>The device cgroup rules a container gets: its own linux.resources.devices, then allow rules for the
/// devices every container has (as runc adds them). A linux.devices entry only creates the node: using it needs a
/// resources.devices rule, as with runc (engines such as docker add both). Without rules in the config the device
/// cgroup is not restricted, as with runc.</summary>
public static class DeviceRules
{
    static readonly (string Type, long? Major, long? Minor, string Access)[] Always =
    [
        ("c", null, null, "m"), ("b", null, null, "m"),       // mknod of any node (using it is still checked)
        ("c", 1, 3, "rwm"), ("c", 1, 5, "rwm"), ("c", 1, 7, "rwm"), ("c", 1, 8, "rwm"), ("c", 1, 9, "rwm"),
        ("c", 5, 0, "rwm"), ("c", 5, 2, "rwm"), ("c", 136, null, "rwm"), ("c", 10, 200, "rwm"),
    ];

    public static Resources WithDefaults(Resources? resources)
    {
        var r = resources ?? new Resources();
        if (r.Devices is not { Count: > 0 }) return r; // no rules asked (as runc): the device cgroup is left open
        var rules = new List<DeviceRule>(r.Devices);
        foreach (var (type, major, minor, access) in Always)
            rules.Add(new DeviceRule { Allow = true, Type = type, Major = major, Minor = minor, Access = access });
        r.Devices = rules;
        return r;
    }
}
