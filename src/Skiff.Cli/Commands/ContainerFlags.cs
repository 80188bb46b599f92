using System.Globalization;
using Skiff.Engine;
using Skiff.Engine.Containers;
using Skiff.Engine.Specs;

namespace Skiff.Cli.Commands;

/// <summary>The flags `run` and `create` share (docker's names), turned into an engine <see cref="CreateRequest"/>.</summary>
public static class ContainerFlags
{
    public static readonly string[] Booleans = ["-d", "--detach", "-i", "--interactive", "-t", "--tty", "--rm", "--read-only",
        "--privileged", "--init", "-q", "--quiet", "-P", "--publish-all", "--sig-proxy", "--no-healthcheck", "--help"];
    public static readonly string[] Valued = ["--name", "-e", "--env", "--env-file", "-w", "--workdir", "-u", "--user",
        "--entrypoint", "-v", "--volume", "--mount", "--tmpfs", "-p", "--publish", "--network", "--net", "--hostname", "-h",
        "--memory", "-m", "--cpus", "--cpu-shares", "-c", "--pids-limit", "--cap-add", "--cap-drop", "--security-opt",
        "--restart", "--label", "-l", "--runtime", "--pull", "--platform", "--group-add", "--dns", "--dns-search",
        "--dns-option", "--add-host", "--stop-signal", "--stop-timeout", "--log-driver", "--log-opt", "--shm-size",
        "--expose", "--memory-swap", "--oom-score-adj", "--domainname", "-a", "--attach", "--cidfile", "--network-alias", "--ip", "--detach-keys"];

    public static CommandLine Parse(List<string> args) => CommandLine.Parse(args, Booleans, Valued, interspersed: false);

    public static CreateRequest Request(CommandLine c)
    {
        if (c.Positionals.Count == 0) throw new UsageException("requires at least 1 argument (an image)");
        var image = c.Positionals[0];
        var cfg = new ContainerConfig
        {
            Tty = c.Has("-t", "--tty"),
            OpenStdin = c.Has("-i", "--interactive"),
            User = c.Value("-u", "--user") ?? "",
            WorkingDir = c.Value("-w", "--workdir") ?? "",
            Hostname = c.Value("--hostname", "-h") ?? "",
            Domainname = c.Value("--domainname") ?? "",
            StopSignal = c.Value("--stop-signal"),
            StopTimeout = c.Value("--stop-timeout") is { } st ? Int(st, "--stop-timeout") : null,
            Env = Env(c),
            Labels = Labels(c),
        };
        if (cfg.WorkingDir.Length > 0 && !cfg.WorkingDir.StartsWith('/'))
            throw EngineException.Invalid($"the working directory '{cfg.WorkingDir}' is invalid, it needs to be an absolute path");
        cfg.StdinOnce = cfg.OpenStdin && !c.Has("-d", "--detach");
        bool detach = c.Has("-d", "--detach");
        cfg.AttachStdin = cfg.OpenStdin && !detach;
        cfg.AttachStdout = cfg.AttachStderr = !detach;
        var hc = new HostConfig
        {
            AutoRemove = c.Has("--rm"),
            ReadonlyRootfs = c.Has("--read-only"),
            Privileged = c.Has("--privileged"),
            Init = c.Has("--init") ? true : null,
            Binds = NullIfEmpty([.. c.Values("-v"), .. c.Values("--volume")]),
            CapAdd = NullIfEmpty(c.Values("--cap-add").SelectMany(Split).ToList()),
            CapDrop = NullIfEmpty(c.Values("--cap-drop").SelectMany(Split).ToList()),
            SecurityOpt = NullIfEmpty(c.Values("--security-opt").ToList()),
            NetworkMode = Networks(c).FirstOrDefault() ?? "bridge",
            Runtime = c.Value("--runtime") ?? "oar",
            Memory = c.Value("-m", "--memory") is { } mem ? Sizes.Parse(mem, "memory") : 0,
            MemorySwap = c.Value("--memory-swap") is { } ms ? (ms == "-1" ? -1 : Sizes.Parse(ms, "memory-swap")) : 0,
            NanoCpus = c.Value("--cpus") is { } cpus ? NanoCpus(cpus) : 0,
            CpuShares = c.Value("-c", "--cpu-shares") is { } sh ? Int(sh, "--cpu-shares") : 0,
            PidsLimit = c.Value("--pids-limit") is { } pl ? Int(pl, "--pids-limit") : null,
            GroupAdd = NullIfEmpty(c.Values("--group-add").ToList()),
            Dns = [.. c.Values("--dns")],
            DnsSearch = [.. c.Values("--dns-search")],
            DnsOptions = [.. c.Values("--dns-option")],
            ExtraHosts = NullIfEmpty(c.Values("--add-host").ToList()),
            OomScoreAdj = c.Value("--oom-score-adj") is { } o ? Int(o, "--oom-score-adj") : 0,
            RestartPolicy = Restart(c.Value("--restart")),
            PublishAllPorts = c.Has("-P", "--publish-all"),
        };
        if (c.Value("--shm-size") is { } shm) hc.ShmSize = Sizes.Parse(shm, "shm-size");
        hc.LogConfig.Type = c.Value("--log-driver") ?? "json-file";
        if (hc.LogConfig.Type is not ("json-file" or "none" or "local"))
            throw EngineException.Invalid($"failed to create task for container: failed to initialize logging driver: logger: no log driver named '{hc.LogConfig.Type}' is registered");
        foreach (var lo in c.Values("--log-opt"))
        {
            var i = lo.IndexOf('=');
            if (i <= 0) throw EngineException.Invalid($"invalid log opt: {lo}");
            hc.LogConfig.Config[lo[..i]] = lo[(i + 1)..];
        }
        var mounts = new List<MountSpecEntry>();
        foreach (var spec in c.Values("--mount"))
        {
            var m = MountParser.ParseMount(spec);
            var tmpfs = m.Type == "tmpfs" && m.Options.Count > 0 ? new TmpfsOptions
            {
                SizeBytes = m.Options.FirstOrDefault(x => x.StartsWith("size=", StringComparison.Ordinal)) is { } sz ? long.Parse(sz[5..], CultureInfo.InvariantCulture) : 0,
                Mode = m.Options.FirstOrDefault(x => x.StartsWith("mode=", StringComparison.Ordinal)) is { } md ? Convert.ToInt32(md[5..], 8) : 0,
            } : null;
            mounts.Add(new MountSpecEntry { Type = m.Type, Source = m.Source, Target = m.Destination, ReadOnly = m.ReadOnly, TmpfsOptions = tmpfs });
        }
        hc.Mounts = NullIfEmpty(mounts);
        foreach (var t in c.Values("--tmpfs"))
        {
            var i = t.IndexOf(':');
            (hc.Tmpfs ??= [])[i < 0 ? t : t[..i]] = i < 0 ? "" : t[(i + 1)..];
        }
        foreach (var b in hc.Binds ?? []) MountParser.ParseVolume(b);
        Ports(c, cfg, hc);
        var cmd = c.Positionals.Skip(1).ToList();
        var aliases = c.Values("--network-alias").ToList();
        var ip = c.Value("--ip");
        if (ip is not null && !System.Net.IPAddress.TryParse(ip, out _))
            throw new UsageException($"invalid argument \"{ip}\" for \"--ip\" flag: invalid string being converted to IP address: {ip}");
        // docker (API ≥ 1.44): several --network flags join all those networks; --network-alias/--ip go to the first.
        var networks = Networks(c);
        Dictionary<string, EndpointSettings>? endpoints = aliases.Count == 0 && ip is null && networks.Count < 2 ? null : new()
        {
            [hc.NetworkMode == "default" ? "bridge" : hc.NetworkMode] = new EndpointSettings
            {
                Aliases = aliases.Count > 0 ? aliases : null, IPAMConfig = ip is null ? null : new EndpointIpamConfig { IPv4Address = ip },
            },
        };
        foreach (var more in networks.Skip(1)) endpoints!.TryAdd(more == "default" ? "bridge" : more, new EndpointSettings());
        return new CreateRequest
        {
            EndpointsConfig = endpoints,
            Image = image,
            Name = c.Value("--name"),
            Command = cmd,
            Entrypoint = c.Value("--entrypoint"),
            Config = cfg,
            HostConfig = hc,
        };
    }

    static List<string> Networks(CommandLine c) => [.. c.Values("--network").Concat(c.Values("--net")).Distinct()];

    static List<T>? NullIfEmpty<T>(List<T> l) => l.Count == 0 ? null : l;
    static IEnumerable<string> Split(string s) => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    static int Int(string s, string flag) => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n
        : throw EngineException.Invalid($"invalid argument \"{s}\" for \"{flag}\" flag: strconv.ParseInt: parsing \"{s}\": invalid syntax");

    static long NanoCpus(string s)
    {
        if (!decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || d < 0)
            throw EngineException.Invalid($"invalid argument \"{s}\" for \"--cpus\" flag: failed to parse {s} as a rational number");
        var n = (long)(d * 1_000_000_000m);
        var max = Environment.ProcessorCount * 1_000_000_000L;
        if (n > max) throw EngineException.Invalid($"range of CPUs is from 0.01 to {Environment.ProcessorCount}.00, as there are only {Environment.ProcessorCount} CPUs available");
        return n;
    }

    public static RestartPolicy Restart(string? v)
    {
        if (string.IsNullOrEmpty(v) || v == "no") return new RestartPolicy { Name = "no" };
        var (name, count) = v.IndexOf(':') is var i and >= 0 ? (v[..i], v[(i + 1)..]) : (v, null);
        if (name is not ("always" or "unless-stopped" or "on-failure"))
            throw EngineException.Invalid($"invalid restart policy: unknown policy '{name}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'");
        if (count is not null && name != "on-failure")
            throw EngineException.Invalid($"invalid restart policy: maximum retry count can only be used with 'on-failure'");
        int n = 0;
        if (count is not null && (!int.TryParse(count, out n) || n < 0))
            throw EngineException.Invalid($"invalid restart policy: invalid maximum retry count: {count}");
        return new RestartPolicy { Name = name, MaximumRetryCount = n };
    }

    static List<string> Env(CommandLine c)
    {
        var env = new List<string>();
        foreach (var f in c.Values("--env-file"))
        {
            string[] lines;
            try { lines = File.ReadAllLines(f); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw EngineException.Invalid($"open {f}: {e.Message}"); }
            foreach (var raw in lines)
            {
                var line = raw.TrimStart();
                if (line.Length == 0 || line[0] == '#') continue;
                AddEnv(env, line);
            }
        }
        foreach (var e in c.Values("-e").Concat(c.Values("--env"))) AddEnv(env, e);
        return env;
    }

    static void AddEnv(List<string> env, string e)
    {
        if (e.StartsWith('=')) throw EngineException.Invalid($"invalid environment variable: {e}");
        if (!e.Contains('='))
        {
            var v = Environment.GetEnvironmentVariable(e);
            if (v is null) return;
            e = $"{e}={v}";
        }
        env.Add(e);
    }

    static Dictionary<string, string> Labels(CommandLine c)
    {
        var d = new Dictionary<string, string>();
        foreach (var l in c.Values("-l").Concat(c.Values("--label")))
        {
            var i = l.IndexOf('=');
            d[i < 0 ? l : l[..i]] = i < 0 ? "" : l[(i + 1)..];
        }
        return d;
    }

    /// <summary>-p [ip:][hostPort:]containerPort[/proto] and --expose.</summary>
    static void Ports(CommandLine c, ContainerConfig cfg, HostConfig hc)
    {
        foreach (var e in c.Values("--expose"))
        {
            var key = e.Contains('/') ? e : e + "/tcp";
            (cfg.ExposedPorts ??= [])[key] = new EmptyObject();
        }
        foreach (var p in c.Values("-p").Concat(c.Values("--publish")))
        {
            var proto = "tcp";
            var spec = p;
            var slash = spec.LastIndexOf('/');
            if (slash > 0) { proto = spec[(slash + 1)..]; spec = spec[..slash]; }
            if (proto is not ("tcp" or "udp" or "sctp")) throw EngineException.Invalid($"invalid proto: {proto}");
            string ip = "", hostPort = "", ctrPort;
            if (spec.StartsWith('['))
            {
                var end = spec.IndexOf(']');
                ip = spec[1..end];
                spec = spec[(end + 2)..];
            }
            var parts = spec.Split(':');
            switch (parts.Length)
            {
                case 1: ctrPort = parts[0]; break;
                case 2: hostPort = parts[0]; ctrPort = parts[1]; break;
                case 3: ip = parts[0]; hostPort = parts[1]; ctrPort = parts[2]; break;
                default: throw EngineException.Invalid($"invalid publish spec: {p}");
            }
            if (!int.TryParse(ctrPort, out var cp) || cp is < 1 or > 65535) throw EngineException.Invalid($"invalid containerPort: {ctrPort}");
            if (hostPort.Length > 0 && (!int.TryParse(hostPort, out var hp) || hp is < 0 or > 65535)) throw EngineException.Invalid($"invalid hostPort: {hostPort}");
            var key = $"{cp}/{proto}";
            (cfg.ExposedPorts ??= [])[key] = new EmptyObject();
            hc.PortBindings ??= [];
            if (!hc.PortBindings.TryGetValue(key, out var list)) hc.PortBindings[key] = list = [];
            list.Add(new PortBinding { HostIp = ip, HostPort = hostPort });
        }
    }
}
