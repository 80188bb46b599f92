namespace Skiff.Engine.Specs;

/// <summary>docker's three mount syntaxes: `-v [src:]dst[:opts]`, `--mount type=…,source=…,target=…[,readonly]…` and
/// `--tmpfs dst[:opts]`, with docker's error wording for bad ones.</summary>
public static class MountParser
{
    static readonly string[] Propagations = ["shared", "rshared", "slave", "rslave", "private", "rprivate"];

    public static MountRequest ParseVolume(string spec)
    {
        var parts = spec.Split(':');
        string? src; string dst; string? mode = null;
        switch (parts.Length)
        {
            case 1: src = null; dst = parts[0]; break;
            case 2 when parts[1].StartsWith('/'): src = parts[0]; dst = parts[1]; break;
            case 2: src = null; dst = parts[0]; mode = parts[1]; break;
            case 3: src = parts[0]; dst = parts[1]; mode = parts[2]; break;
            default: throw EngineException.Invalid($"invalid volume specification: '{spec}'");
        }
        if (src is "") throw EngineException.Invalid($"invalid volume specification: '{spec}'");
        if (!dst.StartsWith('/'))
            throw EngineException.Invalid($"invalid volume specification: '{spec}': invalid mount config for type \"volume\": invalid mount path: '{dst}' mount path must be absolute");
        if (dst == "/") throw EngineException.Invalid($"invalid volume specification: '{spec}': invalid mount config for type \"bind\": invalid specification: destination can't be '/'");
        bool ro = false, nocopy = false;
        var options = new List<string>();
        if (mode is not null)
            foreach (var m in mode.Split(','))
            {
                if (m == "ro") ro = true;
                else if (m == "rw") ro = false;
                else if (m is "z" or "Z") { }
                else if (m == "nocopy") nocopy = true;
                else if (Propagations.Contains(m)) options.Add(m);
                else throw EngineException.Invalid($"invalid volume specification: '{spec}': invalid mode: {m}");
            }
        bool bind = src is not null && (src.StartsWith('/') || src.StartsWith('.'));
        if (src is not null && !bind && !IsVolumeName(src))
            throw EngineException.Invalid($"invalid volume specification: '{spec}': \"{src}\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path");
        if (bind) src = Path.GetFullPath(src!);
        return new MountRequest(bind ? "bind" : "volume", src, Clean(dst), ro, options) { CreateHostPath = bind, NoCopy = nocopy };
    }

    public static MountRequest ParseMount(string spec)
    {
        string? type = null, src = null, dst = null;
        bool ro = false, nocopy = false;
        var options = new List<string>();
        foreach (var field in spec.Split(','))
        {
            var eq = field.IndexOf('=');
            var key = (eq < 0 ? field : field[..eq]).Trim().ToLowerInvariant();
            var val = eq < 0 ? null : field[(eq + 1)..];
            switch (key)
            {
                case "type": type = val; break;
                case "source" or "src": src = val; break;
                case "target" or "destination" or "dst": dst = val; break;
                case "readonly" or "ro":
                    ro = val is null || val is "1" or "true" ? true : val is "0" or "false" ? false
                        : throw EngineException.Invalid($"invalid argument \"{spec}\" for \"--mount\" flag: invalid value for {key}: {val}");
                    break;
                case "bind-propagation":
                    if (val is null || !Propagations.Contains(val)) throw EngineException.Invalid($"invalid argument \"{spec}\" for \"--mount\" flag: invalid propagation mode: {val}");
                    options.Add(val);
                    break;
                case "volume-nocopy": nocopy = val is null or "1" or "true"; break;
                case "tmpfs-size":
                    options.Add("size=" + Sizes.Parse(val ?? "", "tmpfs-size"));
                    break;
                case "tmpfs-mode":
                    options.Add("mode=" + Convert.ToString(Convert.ToInt32(val ?? "", 8), 8));
                    break;
                case "consistency" or "volume-driver" or "volume-label" or "volume-opt" or "bind-recursive" or "bind-nonrecursive": break;
                default:
                    throw EngineException.Invalid($"invalid argument \"{spec}\" for \"--mount\" flag: unexpected key '{key}' in '{field}'");
            }
        }
        type ??= "volume";
        if (string.IsNullOrEmpty(dst)) throw EngineException.Invalid($"invalid argument \"{spec}\" for \"--mount\" flag: target is required");
        if (!dst.StartsWith('/')) throw EngineException.Invalid($"invalid mount config for type \"{type}\": invalid mount path: '{dst}' mount path must be absolute");
        switch (type)
        {
            case "bind":
                if (string.IsNullOrEmpty(src)) throw EngineException.Invalid("invalid mount config for type \"bind\": field Source must not be empty");
                src = Path.GetFullPath(src);
                if (!Path.Exists(src)) throw EngineException.Invalid($"invalid mount config for type \"bind\": bind source path does not exist: {src}");
                break;
            case "volume":
                if (!string.IsNullOrEmpty(src) && !IsVolumeName(src))
                    throw EngineException.Invalid($"invalid mount config for type \"volume\": invalid volume name \"{src}\"");
                break;
            case "tmpfs":
                if (!string.IsNullOrEmpty(src)) throw EngineException.Invalid("invalid mount config for type \"tmpfs\": field Source must not be specified");
                break;
            default:
                throw EngineException.Invalid($"invalid argument \"{spec}\" for \"--mount\" flag: mount type unknown: \"{type}\"");
        }
        return new MountRequest(type, string.IsNullOrEmpty(src) ? null : src, Clean(dst), ro, options) { NoCopy = nocopy };
    }

    public static MountRequest ParseTmpfs(string spec)
    {
        var i = spec.IndexOf(':');
        var dst = i < 0 ? spec : spec[..i];
        var opts = i < 0 ? [] : spec[(i + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (!dst.StartsWith('/')) throw EngineException.Invalid($"invalid mount config for type \"tmpfs\": invalid mount path: '{dst}' mount path must be absolute");
        bool ro = opts.Remove("ro");
        opts.Remove("rw");
        return new MountRequest("tmpfs", null, Clean(dst), ro, opts);
    }

    public static bool IsVolumeName(string s)
        => s.Length >= 1 && char.IsAsciiLetterOrDigit(s[0]) && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');

    static string Clean(string p)
    {
        var parts = new List<string>();
        foreach (var s in p.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (s == ".") continue;
            if (s == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); continue; }
            parts.Add(s);
        }
        return "/" + string.Join('/', parts);
    }
}
