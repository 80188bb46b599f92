using System.Text.Json;
using Skiff.Linux;

namespace Oar.Commands;

/// <summary>`features`: what this oar supports, in the shape of the runtime-spec features document.</summary>
public static class FeaturesCommand
{
    public static int Run(Context ctx, string[] argv, int start)
    {
        var buf = new MemoryStream();
        using (var w = new Utf8JsonWriter(buf, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("ociVersionMin", "1.0.0");
            w.WriteString("ociVersionMax", Program.SpecVersion);
            Strings(w, "hooks", ["prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"]);
            Strings(w, "mountOptions", ["async", "atime", "bind", "defaults", "dev", "diratime", "dirsync", "exec", "lazytime",
                "loud", "mand", "noatime", "nodev", "nodiratime", "noexec", "nolazytime", "nomand", "norelatime", "nostrictatime",
                "nosuid", "nosymfollow", "private", "rbind", "relatime", "remount", "ro", "rprivate", "rshared", "rslave",
                "runbindable", "rw", "shared", "silent", "slave", "strictatime", "suid", "symfollow", "sync", "tmpcopyup", "unbindable"]);
            w.WriteStartObject("linux");
            Strings(w, "namespaces", ["cgroup", "ipc", "mount", "network", "pid", "time", "user", "uts"]);
            Strings(w, "capabilities", Capabilities.All.ToArray());
            w.WriteStartObject("cgroup");
            w.WriteBoolean("v1", true); w.WriteBoolean("v2", true); w.WriteBoolean("systemd", false);
            w.WriteBoolean("systemdUser", false); w.WriteBoolean("rdma", false);
            w.WriteEndObject();
            w.WriteStartObject("seccomp");
            w.WriteBoolean("enabled", true);
            Strings(w, "actions", ["SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD",
                "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY", "SCMP_ACT_TRACE", "SCMP_ACT_TRAP"]);
            Strings(w, "operators", ["SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_LE", "SCMP_CMP_LT", "SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE"]);
            Strings(w, "archs", ["SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32"]);
            Strings(w, "knownFlags", ["SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"]);
            Strings(w, "supportedFlags", ["SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"]);
            w.WriteEndObject();
            w.WriteStartObject("apparmor"); w.WriteBoolean("enabled", false); w.WriteEndObject();
            w.WriteStartObject("selinux"); w.WriteBoolean("enabled", false); w.WriteEndObject();
            w.WriteStartObject("intelRdt"); w.WriteBoolean("enabled", false); w.WriteEndObject();
            w.WriteStartObject("mountExtensions"); w.WriteStartObject("idmap"); w.WriteBoolean("enabled", false); w.WriteEndObject(); w.WriteEndObject();
            w.WriteEndObject();
            w.WriteStartObject("annotations");
            w.WriteString("org.opencontainers.runtime-spec.features.version", Program.SpecVersion);
            w.WriteString("io.github.skiff.oar.version", Program.Version);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        Console.Out.Write(System.Text.Encoding.UTF8.GetString(buf.ToArray()) + "\n");
        return 0;
    }

    static void Strings(Utf8JsonWriter w, string name, string[] values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }
}
