using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Cgroups.V1;

/// <summary>
/// The v1 devices controller: "a" to devices.deny (deny everything), then each rule in order to devices.allow or
/// devices.deny. A leading deny-all rule (the usual first rule) is the same as the reset and is not written twice.
/// </summary>
internal static class Devices
{
    const string C = "devices";

    public static void Set(string dir, List<DeviceRule> rules)
    {
        var permissions = rules.Select(DevicePermission.From).ToList();
        CgroupFile.Write(C, dir, "devices.deny", "a");
        for (int i = 0; i < permissions.Count; i++)
        {
            var p = permissions[i];
            if (i == 0 && !p.Allow && p.Type == 'a' && p.Access == DevicePermission.All) continue;
            CgroupFile.Write(C, dir, p.Allow ? "devices.allow" : "devices.deny", p.V1Text);
        }
    }
}
