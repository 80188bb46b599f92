using Skiff.Linux;

namespace Skiff.Runtime.Init;

/// <summary>linux.sysctl, written under the container's /proc/sys after checking it really is procfs
/// (CVE-2019-16884 family: a fake /proc must never receive these writes).</summary>
public static class Sysctls
{
    public static void Apply(IReadOnlyDictionary<string, string>? sysctl)
    {
        if (sysctl is null || sysctl.Count == 0) return;
        using var procSys = Files.Open("/proc/sys", Files.O_DIRECTORY | Files.O_RDONLY);
        if (Files.FsType(procSys.Value, "/proc/sys") != Files.PROC_SUPER_MAGIC)
            throw new RuntimeException("sysctl", "/proc/sys is not a procfs (is /proc mounted?)");
        foreach (var (key, value) in sysctl)
        {
            var rel = key.Replace('.', '/');
            if (rel.Contains("..")) throw new RuntimeException("linux.sysctl", $"invalid key \"{key}\"");
            try
            {
                using var fd = Resolve.InRoot(procSys.Value, rel, Files.O_WRONLY | Files.O_NOFOLLOW, displayPath: "/proc/sys/" + rel);
                if (Files.FsType(fd.Value) != Files.PROC_SUPER_MAGIC)
                    throw new RuntimeException("sysctl", $"{key}: /proc/sys/{rel} is not on procfs");
                Files.WriteAll(fd.Value, System.Text.Encoding.UTF8.GetBytes(value), "/proc/sys/" + rel);
            }
            catch (LinuxException e) { throw new RuntimeException($"sysctl {key}={value}", e.Message); }
        }
    }
}
