using System.Text.Json;
using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Tests.Seccomp;

/// <summary>
/// Turns a Docker/Podman seccomp profile (archMap, includes/excludes by arch and capability) into the OCI
/// <c>linux.seccomp</c> an engine would hand to the runtime on amd64 — what docker and podman do before
/// calling runc. Test-only here; the engine will need the same.
/// </summary>
public static class DockerProfile
{
    public const string DebianPath = "/usr/share/containers/seccomp.json";

    /// <summary>Docker's default capability set.</summary>
    public static readonly string[] DefaultCapabilities =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
    ];

    public static Spec.Seccomp Load(string path, IReadOnlyCollection<string> capabilities, string goArch = "amd64")
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = doc.RootElement;
        var spec = new Spec.Seccomp { DefaultAction = root.GetProperty("defaultAction").GetString(), Syscalls = [], Architectures = [] };
        if (root.TryGetProperty("defaultErrnoRet", out var der)) spec.DefaultErrnoRet = der.GetUInt32();
        foreach (var map in root.GetProperty("archMap").EnumerateArray())
        {
            if (map.GetProperty("architecture").GetString() != "SCMP_ARCH_X86_64") continue;
            spec.Architectures.Add("SCMP_ARCH_X86_64");
            spec.Architectures.AddRange(map.GetProperty("subArchitectures").EnumerateArray().Select(a => a.GetString()!));
        }
        foreach (var call in root.GetProperty("syscalls").EnumerateArray())
        {
            if (!Applies(call, "includes", capabilities, goArch, include: true) || !Applies(call, "excludes", capabilities, goArch, include: false))
                continue;
            var rule = new SeccompSyscall
            {
                Names = call.GetProperty("names").EnumerateArray().Select(n => n.GetString()!).ToList(),
                Action = call.GetProperty("action").GetString(),
            };
            if (call.TryGetProperty("errnoRet", out var e)) rule.ErrnoRet = e.GetUInt32();
            if (call.TryGetProperty("args", out var args) && args.ValueKind == JsonValueKind.Array && args.GetArrayLength() > 0)
                rule.Args = args.EnumerateArray().Select(a => new SeccompArg
                {
                    Index = a.GetProperty("index").GetUInt32(),
                    Value = a.GetProperty("value").GetUInt64(),
                    ValueTwo = a.TryGetProperty("valueTwo", out var v2) ? v2.GetUInt64() : 0,
                    Op = a.GetProperty("op").GetString(),
                }).ToList();
            spec.Syscalls.Add(rule);
        }
        return spec;
    }

    static bool Applies(JsonElement call, string property, IReadOnlyCollection<string> capabilities, string goArch, bool include)
    {
        if (!call.TryGetProperty(property, out var filter) || filter.ValueKind != JsonValueKind.Object) return true;
        if (filter.TryGetProperty("arches", out var arches) && arches.GetArrayLength() > 0)
        {
            bool listed = arches.EnumerateArray().Any(a => a.GetString() == goArch);
            if (listed != include) return false;
        }
        if (filter.TryGetProperty("caps", out var caps) && caps.GetArrayLength() > 0)
        {
            var names = caps.EnumerateArray().Select(c => c.GetString()!).ToList();
            if (include ? !names.All(capabilities.Contains) : names.Any(capabilities.Contains)) return false;
        }
        return true;
    }
}
