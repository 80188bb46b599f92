using System.Text.Json;
using static Skiff.Runtime.Spec.JsonRead;

namespace Skiff.Runtime.Spec;

/// <summary>Reads config.json into the spec model over a <see cref="JsonDocument"/> (fast first call; see
/// <see cref="JsonRead"/>). Unknown fields are ignored, as the runtime-spec asks; wrong types name their path.</summary>
public static class SpecReader
{
    public static RuntimeSpec Read(JsonElement e)
    {
        RequireObject(e, "$");
        return new RuntimeSpec
        {
            OciVersion = Str(P(e, "ociVersion"), "ociVersion"),
            Process = Obj(P(e, "process"), "process", Process),
            Root = Obj(P(e, "root"), "root", (x, p) => new Root { Path = Str(P(x, "path"), p + ".path"), Readonly = Bool(P(x, "readonly"), p + ".readonly") }),
            Hostname = Str(P(e, "hostname"), "hostname"),
            Domainname = Str(P(e, "domainname"), "domainname"),
            Mounts = List(P(e, "mounts"), "mounts", Mount),
            Hooks = Obj(P(e, "hooks"), "hooks", Hooks),
            Annotations = StringMap(P(e, "annotations"), "annotations"),
            Linux = Obj(P(e, "linux"), "linux", Linux),
        };
    }

    public static Process Process(JsonElement x, string p) => new()
    {
        Terminal = Bool(P(x, "terminal"), p + ".terminal"),
        ConsoleSize = Obj(P(x, "consoleSize"), p + ".consoleSize", (c, q) => new ConsoleSize { Height = UInt(P(c, "height"), q + ".height") ?? 0, Width = UInt(P(c, "width"), q + ".width") ?? 0 }),
        User = Obj(P(x, "user"), p + ".user", (u, q) => new User
        {
            Uid = UInt(P(u, "uid"), q + ".uid") ?? 0,
            Gid = UInt(P(u, "gid"), q + ".gid") ?? 0,
            Umask = UInt(P(u, "umask"), q + ".umask"),
            AdditionalGids = List(P(u, "additionalGids"), q + ".additionalGids", (g, r) => UInt(g, r) ?? 0),
            Username = Str(P(u, "username"), q + ".username"),
        }),
        Args = Strings(P(x, "args"), p + ".args"),
        CommandLine = Str(P(x, "commandLine"), p + ".commandLine"),
        Env = Strings(P(x, "env"), p + ".env"),
        Cwd = Str(P(x, "cwd"), p + ".cwd"),
        Capabilities = Obj(P(x, "capabilities"), p + ".capabilities", (c, q) => new CapabilitySets
        {
            Bounding = Strings(P(c, "bounding"), q + ".bounding"), Effective = Strings(P(c, "effective"), q + ".effective"),
            Inheritable = Strings(P(c, "inheritable"), q + ".inheritable"), Permitted = Strings(P(c, "permitted"), q + ".permitted"),
            Ambient = Strings(P(c, "ambient"), q + ".ambient"),
        }),
        Rlimits = List(P(x, "rlimits"), p + ".rlimits", (r, q) => new Rlimit
        {
            Type = Str(P(r, "type"), q + ".type"), Hard = ULong(P(r, "hard"), q + ".hard") ?? 0, Soft = ULong(P(r, "soft"), q + ".soft") ?? 0,
        }),
        NoNewPrivileges = Bool(P(x, "noNewPrivileges"), p + ".noNewPrivileges"),
        ApparmorProfile = Str(P(x, "apparmorProfile"), p + ".apparmorProfile"),
        OomScoreAdj = Int(P(x, "oomScoreAdj"), p + ".oomScoreAdj"),
        SelinuxLabel = Str(P(x, "selinuxLabel"), p + ".selinuxLabel"),
        IoPriority = Obj(P(x, "ioPriority"), p + ".ioPriority", (i, q) => new IoPriority { Class = Str(P(i, "class"), q + ".class"), Priority = Int(P(i, "priority"), q + ".priority") ?? 0 }),
        Scheduler = Obj(P(x, "scheduler"), p + ".scheduler", (s, q) => new Scheduler
        {
            Policy = Str(P(s, "policy"), q + ".policy"), Nice = Int(P(s, "nice"), q + ".nice") ?? 0, Priority = Int(P(s, "priority"), q + ".priority") ?? 0,
            Flags = Strings(P(s, "flags"), q + ".flags"), Runtime = ULong(P(s, "runtime"), q + ".runtime") ?? 0,
            Deadline = ULong(P(s, "deadline"), q + ".deadline") ?? 0, Period = ULong(P(s, "period"), q + ".period") ?? 0,
        }),
        ExecCpuAffinity = Obj(P(x, "execCPUAffinity"), p + ".execCPUAffinity", (a, q) => new CpuAffinity { Initial = Str(P(a, "initial"), q + ".initial"), Final = Str(P(a, "final"), q + ".final") }),
    };

    static Mount Mount(JsonElement x, string p)
    {
        RequireObject(x, p);
        return new Mount
        {
            Destination = Str(P(x, "destination"), p + ".destination"), Type = Str(P(x, "type"), p + ".type"),
            Source = Str(P(x, "source"), p + ".source"), Options = Strings(P(x, "options"), p + ".options"),
            UidMappings = List(P(x, "uidMappings"), p + ".uidMappings", IdMapping), GidMappings = List(P(x, "gidMappings"), p + ".gidMappings", IdMapping),
        };
    }

    static IdMapping IdMapping(JsonElement x, string p)
    {
        RequireObject(x, p);
        return new IdMapping { ContainerId = UInt(P(x, "containerID"), p + ".containerID") ?? 0, HostId = UInt(P(x, "hostID"), p + ".hostID") ?? 0, Size = UInt(P(x, "size"), p + ".size") ?? 0 };
    }

    static Hooks Hooks(JsonElement x, string p) => new()
    {
        Prestart = List(P(x, "prestart"), p + ".prestart", Hook), CreateRuntime = List(P(x, "createRuntime"), p + ".createRuntime", Hook),
        CreateContainer = List(P(x, "createContainer"), p + ".createContainer", Hook), StartContainer = List(P(x, "startContainer"), p + ".startContainer", Hook),
        Poststart = List(P(x, "poststart"), p + ".poststart", Hook), Poststop = List(P(x, "poststop"), p + ".poststop", Hook),
    };

    static Hook Hook(JsonElement x, string p)
    {
        RequireObject(x, p);
        return new Hook { Path = Str(P(x, "path"), p + ".path"), Args = Strings(P(x, "args"), p + ".args"), Env = Strings(P(x, "env"), p + ".env"), Timeout = Int(P(x, "timeout"), p + ".timeout") };
    }

    static Linux Linux(JsonElement x, string p) => new()
    {
        Namespaces = List(P(x, "namespaces"), p + ".namespaces", (n, q) => { RequireObject(n, q); return new NamespaceSpec { Type = Str(P(n, "type"), q + ".type"), Path = Str(P(n, "path"), q + ".path") }; }),
        UidMappings = List(P(x, "uidMappings"), p + ".uidMappings", IdMapping),
        GidMappings = List(P(x, "gidMappings"), p + ".gidMappings", IdMapping),
        TimeOffsets = Map(P(x, "timeOffsets"), p + ".timeOffsets", (t, q) => { RequireObject(t, q); return new TimeOffset { Secs = Long(P(t, "secs"), q + ".secs") ?? 0, Nanosecs = UInt(P(t, "nanosecs"), q + ".nanosecs") ?? 0 }; }),
        Devices = List(P(x, "devices"), p + ".devices", (d, q) =>
        {
            RequireObject(d, q);
            return new Device
            {
                Type = Str(P(d, "type"), q + ".type"), Path = Str(P(d, "path"), q + ".path"), Major = Long(P(d, "major"), q + ".major") ?? 0,
                Minor = Long(P(d, "minor"), q + ".minor") ?? 0, FileMode = UInt(P(d, "fileMode"), q + ".fileMode"), Uid = UInt(P(d, "uid"), q + ".uid"), Gid = UInt(P(d, "gid"), q + ".gid"),
            };
        }),
        CgroupsPath = Str(P(x, "cgroupsPath"), p + ".cgroupsPath"),
        Resources = Obj(P(x, "resources"), p + ".resources", ResourcesReader.Read),
        RootfsPropagation = Str(P(x, "rootfsPropagation"), p + ".rootfsPropagation"),
        Seccomp = Obj(P(x, "seccomp"), p + ".seccomp", Seccomp),
        Sysctl = StringMap(P(x, "sysctl"), p + ".sysctl"),
        MaskedPaths = Strings(P(x, "maskedPaths"), p + ".maskedPaths"),
        ReadonlyPaths = Strings(P(x, "readonlyPaths"), p + ".readonlyPaths"),
        MountLabel = Str(P(x, "mountLabel"), p + ".mountLabel"),
        Personality = Obj(P(x, "personality"), p + ".personality", (y, q) => new Personality { Domain = Str(P(y, "domain"), q + ".domain"), Flags = Strings(P(y, "flags"), q + ".flags") }),
    };

    public static Seccomp Seccomp(JsonElement x, string p) => new()
    {
        DefaultAction = Str(P(x, "defaultAction"), p + ".defaultAction"),
        DefaultErrnoRet = UInt(P(x, "defaultErrnoRet"), p + ".defaultErrnoRet"),
        Architectures = Strings(P(x, "architectures"), p + ".architectures"),
        Flags = Strings(P(x, "flags"), p + ".flags"),
        ListenerPath = Str(P(x, "listenerPath"), p + ".listenerPath"),
        ListenerMetadata = Str(P(x, "listenerMetadata"), p + ".listenerMetadata"),
        Syscalls = List(P(x, "syscalls"), p + ".syscalls", (s, q) =>
        {
            RequireObject(s, q);
            return new SeccompSyscall
            {
                Names = Strings(P(s, "names"), q + ".names"), Action = Str(P(s, "action"), q + ".action"), ErrnoRet = UInt(P(s, "errnoRet"), q + ".errnoRet"),
                Args = List(P(s, "args"), q + ".args", (a, r) =>
                {
                    RequireObject(a, r);
                    return new SeccompArg { Index = UInt(P(a, "index"), r + ".index") ?? 0, Value = ULong(P(a, "value"), r + ".value") ?? 0, ValueTwo = ULong(P(a, "valueTwo"), r + ".valueTwo") ?? 0, Op = Str(P(a, "op"), r + ".op") };
                }),
            };
        }),
    };
}
