using Skiff.Linux;

namespace Skiff.Runtime.Spec;

/// <summary>Checks a config.json before anything is made, so a bad bundle fails with one error naming the field.</summary>
public static class SpecValidator
{
    static readonly HashSet<string> NamespaceTypes = ["pid", "network", "mount", "ipc", "uts", "user", "cgroup", "time"];

    public static void Validate(RuntimeSpec spec, string bundle, bool requireProcess)
    {
        Version(spec.OciVersion);
        if (spec.Root?.Path is not { Length: > 0 } rootPath) throw new SpecException("root.path", "is required");
        var rootfs = Path.GetFullPath(rootPath, bundle);
        if (!Directory.Exists(rootfs)) throw new SpecException("root.path", $"{rootfs} does not exist or is not a directory");

        if (requireProcess && spec.Process is null) throw new SpecException("process", "is required for create");
        if (spec.Process is { } p) Process(p);

        var mounts = spec.Mounts ?? [];
        for (int i = 0; i < mounts.Count; i++)
        {
            var m = mounts[i];
            if (string.IsNullOrEmpty(m.Destination)) throw new SpecException($"mounts[{i}].destination", "is required");
            if (!m.Destination.StartsWith('/'))
                throw new SpecException($"mounts[{i}].destination", $"\"{m.Destination}\" must be an absolute path");
            bool bind = m.Type == "bind" || (m.Options?.Contains("bind") ?? false) || (m.Options?.Contains("rbind") ?? false);
            if (bind && string.IsNullOrEmpty(m.Source)) throw new SpecException($"mounts[{i}].source", "a bind mount needs a source");
            if (!bind && string.IsNullOrEmpty(m.Type)) throw new SpecException($"mounts[{i}].type", "is required for a non-bind mount");
        }

        Hooks(spec.Hooks);
        Linux(spec.Linux, spec);
    }

    static void Version(string? v)
    {
        if (string.IsNullOrEmpty(v)) throw new SpecException("ociVersion", "is required");
        var major = v.Split('.')[0];
        if (major != "1") throw new SpecException("ociVersion", $"\"{v}\" is not supported (oar implements runtime-spec 1.x)");
    }

    static void Process(Process p)
    {
        if (p.Args is not { Count: > 0 } || string.IsNullOrEmpty(p.Args[0])) throw new SpecException("process.args", "must name the program to run");
        if (string.IsNullOrEmpty(p.Cwd)) throw new SpecException("process.cwd", "is required");
        if (!p.Cwd.StartsWith('/')) throw new SpecException("process.cwd", $"\"{p.Cwd}\" must be an absolute path");
        foreach (var e in p.Env ?? [])
            if (!e.Contains('=')) throw new SpecException("process.env", $"\"{e}\" is not KEY=VALUE");
        if (p.Capabilities is { } c)
        {
            Caps(c.Bounding, "bounding"); Caps(c.Effective, "effective"); Caps(c.Inheritable, "inheritable");
            Caps(c.Permitted, "permitted"); Caps(c.Ambient, "ambient");
        }
        var seen = new HashSet<string>();
        var limits = p.Rlimits ?? [];
        for (int i = 0; i < limits.Count; i++)
        {
            var l = limits[i];
            if (l.Type is null || Rlimits.Resource(l.Type) < 0)
                throw new SpecException($"process.rlimits[{i}].type", $"unknown rlimit \"{l.Type}\"");
            if (!seen.Add(l.Type)) throw new SpecException($"process.rlimits[{i}].type", $"{l.Type} is given twice");
            if (l.Soft > l.Hard) throw new SpecException($"process.rlimits[{i}]", $"soft limit {l.Soft} is above the hard limit {l.Hard}");
        }
        if (p.OomScoreAdj is < -1000 or > 1000) throw new SpecException("process.oomScoreAdj", $"{p.OomScoreAdj} is outside -1000..1000");
    }

    static void Caps(List<string>? names, string set)
    {
        foreach (var n in names ?? [])
            if (Capabilities.Number(n) < 0) throw new SpecException($"process.capabilities.{set}", $"unknown capability \"{n}\"");
    }

    static void Hooks(Hooks? h)
    {
        if (h is null) return;
        foreach (var (name, list) in new[] { ("prestart", h.Prestart), ("createRuntime", h.CreateRuntime),
            ("createContainer", h.CreateContainer), ("startContainer", h.StartContainer), ("poststart", h.Poststart), ("poststop", h.Poststop) })
        {
            for (int i = 0; i < (list?.Count ?? 0); i++)
            {
                var hook = list![i];
                if (string.IsNullOrEmpty(hook.Path) || !hook.Path.StartsWith('/'))
                    throw new SpecException($"hooks.{name}[{i}].path", $"\"{hook.Path}\" must be an absolute path");
                if (hook.Timeout is <= 0) throw new SpecException($"hooks.{name}[{i}].timeout", "must be greater than zero");
            }
        }
    }

    static void Linux(Linux? linux, RuntimeSpec spec)
    {
        if (linux is null) return;
        var types = new HashSet<string>();
        var nss = linux.Namespaces ?? [];
        for (int i = 0; i < nss.Count; i++)
        {
            var ns = nss[i];
            if (ns.Type is null || !NamespaceTypes.Contains(ns.Type))
                throw new SpecException($"linux.namespaces[{i}].type", $"unknown namespace \"{ns.Type}\"");
            if (!types.Add(ns.Type)) throw new SpecException($"linux.namespaces[{i}].type", $"namespace \"{ns.Type}\" is listed twice");
            if (!string.IsNullOrEmpty(ns.Path))
            {
                if (!ns.Path.StartsWith('/')) throw new SpecException($"linux.namespaces[{i}].path", $"\"{ns.Path}\" must be an absolute path");
                if (!File.Exists(ns.Path)) throw new SpecException($"linux.namespaces[{i}].path", $"{ns.Path} does not exist");
            }
        }
        bool newUser = nss.Any(n => n.Type == "user" && string.IsNullOrEmpty(n.Path));
        if (newUser && (linux.UidMappings is not { Count: > 0 } || linux.GidMappings is not { Count: > 0 }))
            throw new SpecException("linux.uidMappings", "a new user namespace needs uidMappings and gidMappings");
        if (!types.Contains("user") && (linux.UidMappings is { Count: > 0 } || linux.GidMappings is { Count: > 0 }))
            throw new SpecException("linux.uidMappings", "id mappings are given but there is no user namespace");
        if (linux.TimeOffsets is { Count: > 0 } && !types.Contains("time"))
            throw new SpecException("linux.timeOffsets", "time offsets need a time namespace");
        if (!string.IsNullOrEmpty(spec.Hostname) && !types.Contains("uts"))
            throw new SpecException("hostname", "setting the hostname needs a uts namespace");
        if (linux.CgroupsPath is { } cp && cp.Split('/').Contains(".."))
            throw new SpecException("linux.cgroupsPath", $"\"{cp}\" must not contain \"..\"");

        var devices = linux.Devices ?? [];
        for (int i = 0; i < devices.Count; i++)
        {
            var d = devices[i];
            if (d.Type is not ("c" or "b" or "u" or "p")) throw new SpecException($"linux.devices[{i}].type", $"unknown device type \"{d.Type}\"");
            if (d.Path is null || !d.Path.StartsWith("/dev/")) throw new SpecException($"linux.devices[{i}].path", $"\"{d.Path}\" must be under /dev/");
        }
        foreach (var (list, field) in new[] { (linux.MaskedPaths, "linux.maskedPaths"), (linux.ReadonlyPaths, "linux.readonlyPaths") })
            foreach (var path in list ?? [])
                if (!path.StartsWith('/')) throw new SpecException(field, $"\"{path}\" must be an absolute path");
        foreach (var key in (linux.Sysctl ?? []).Keys) Sysctl(key, types);
        if (linux.RootfsPropagation is { Length: > 0 } rp && rp is not ("shared" or "rshared" or "slave" or "rslave" or "private" or "rprivate" or "unbindable" or "runbindable"))
            throw new SpecException("linux.rootfsPropagation", $"unknown propagation \"{rp}\"");
    }

    /// <summary>Only namespaced sysctls may be set, and only when the container has that namespace (as runc).</summary>
    static void Sysctl(string key, HashSet<string> ns)
    {
        bool ipc = key is "kernel.msgmax" or "kernel.msgmnb" or "kernel.msgmni" or "kernel.sem" or "kernel.shmall"
            or "kernel.shmmax" or "kernel.shmmni" or "kernel.shm_rmid_forced" || key.StartsWith("fs.mqueue.", StringComparison.Ordinal);
        bool net = key.StartsWith("net.", StringComparison.Ordinal);
        bool uts = key is "kernel.hostname" or "kernel.domainname";
        if (ipc && !ns.Contains("ipc")) throw new SpecException($"linux.sysctl.{key}", "needs an ipc namespace");
        if (net && !ns.Contains("network")) throw new SpecException($"linux.sysctl.{key}", "needs a network namespace");
        if (uts && !ns.Contains("uts")) throw new SpecException($"linux.sysctl.{key}", "needs a uts namespace");
        if (!ipc && !net && !uts) throw new SpecException($"linux.sysctl.{key}", "is not a namespaced sysctl: it would change the host");
    }
}
