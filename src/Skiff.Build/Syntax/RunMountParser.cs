using System.Globalization;
using System.Text;

namespace Skiff.Build.Syntax;

/// <summary>Parses one <c>--mount</c> value (comma-separated <c>key=value</c> fields, CSV quoting) as docker does.
/// With an <c>expand</c> function every value is expanded first (the executor passes the stage's environment).
/// Errors are <see cref="FormatException"/> with docker's wording; the instruction parser adds the position.</summary>
public static class RunMountParser
{
    public static RunMount Parse(string raw, Func<string, string>? expand = null)
    {
        var type = RunMountType.Bind;
        string? target = null, source = null, from = null, id = null, sharing = null, env = null;
        uint? mode = null, uid = null, gid = null;
        long? size = null;
        bool? readOnly = null;
        bool required = false;

        foreach (var field in SplitCsv(raw))
        {
            if (field.Length == 0) continue;
            int eq = field.IndexOf('=');
            string key = (eq < 0 ? field : field[..eq]).ToLowerInvariant();
            if (eq < 0)
            {
                switch (key)
                {
                    case "ro" or "readonly": readOnly = true; continue;
                    case "rw" or "readwrite": readOnly = false; continue;
                    case "required" when type is RunMountType.Secret or RunMountType.Ssh: required = true; continue;
                    case "required": throw new FormatException($"unexpected key '{key}' for mount type '{Name(type)}'");
                    default: throw new FormatException($"invalid field '{field}' must be a key=value pair");
                }
            }
            string value = field[(eq + 1)..];
            if (expand is not null) value = expand(value);
            switch (key)
            {
                case "type":
                    type = value.ToLowerInvariant() switch
                    {
                        "bind" => RunMountType.Bind,
                        "cache" => RunMountType.Cache,
                        "tmpfs" => RunMountType.Tmpfs,
                        "secret" => RunMountType.Secret,
                        "ssh" => RunMountType.Ssh,
                        _ => throw new FormatException($"unsupported mount type \"{value}\" (expected bind, cache, tmpfs, secret or ssh)"),
                    };
                    break;
                case "target" or "dst" or "destination": target = value; break;
                case "src" or "source": source = value; break;
                case "from": from = value; break;
                case "readonly" or "ro": readOnly = ParseBool(key, value); break;
                case "rw" or "readwrite": readOnly = !ParseBool(key, value); break;
                case "required":
                    if (type is not (RunMountType.Secret or RunMountType.Ssh))
                        throw new FormatException($"unexpected key '{key}' for mount type '{Name(type)}'");
                    required = ParseBool(key, value);
                    break;
                case "size":
                    if (type != RunMountType.Tmpfs) throw new FormatException($"unexpected key '{key}' for mount type '{Name(type)}'");
                    size = ParseSize(value);
                    break;
                case "id": id = value; break;
                case "sharing":
                    string s = value.ToLowerInvariant();
                    if (s is not ("shared" or "private" or "locked"))
                        throw new FormatException($"unsupported sharing value \"{value}\" (expected shared, private or locked)");
                    sharing = s;
                    break;
                case "mode": mode = ParseUInt(key, value, 8); break;
                case "uid": uid = ParseUInt(key, value, 10); break;
                case "gid": gid = ParseUInt(key, value, 10); break;
                case "env":
                    if (type != RunMountType.Secret) throw new FormatException($"unexpected key '{key}' for mount type '{Name(type)}'");
                    env = value;
                    break;
                default:
                    throw new FormatException($"unexpected key '{key}' in '{field}'");
            }
        }

        bool fileInfo = type is RunMountType.Secret or RunMountType.Ssh or RunMountType.Cache;
        if (!fileInfo)
        {
            if (mode is not null) throw new FormatException($"mode not allowed for \"{Name(type)}\" type mounts");
            if (uid is not null) throw new FormatException($"uid not allowed for \"{Name(type)}\" type mounts");
            if (gid is not null) throw new FormatException($"gid not allowed for \"{Name(type)}\" type mounts");
        }
        if (sharing is not null && type != RunMountType.Cache)
            throw new FormatException($"invalid cache sharing set for {Name(type)} mount");
        if (type == RunMountType.Secret)
        {
            if (from is not null) throw new FormatException("secret mount should not have a from");
            if (source is null && target is null && id is null)
                throw new FormatException("invalid secret mount: one of source, target, id required");
            if (source is not null && id is not null)
                throw new FormatException("both source and id can't be set");
            id ??= source ?? Path.GetFileName(target!.TrimEnd('/'));
            if (target is null && env is null) target = "/run/secrets/" + id;
            mode ??= Convert.ToUInt32("400", 8);
        }
        if (type == RunMountType.Ssh)
        {
            if (from is not null) throw new FormatException("ssh mount should not have a from");
            id ??= "default";
            target ??= "/run/buildkit/ssh_agent.0";
            mode ??= Convert.ToUInt32("600", 8);
        }
        if (type is RunMountType.Bind or RunMountType.Cache or RunMountType.Tmpfs && string.IsNullOrEmpty(target))
            throw new FormatException($"mount type {Name(type)} requires a target (expected target=<path>)");
        if (type == RunMountType.Cache) mode ??= Convert.ToUInt32("755", 8);
        bool ro = readOnly ?? type is RunMountType.Bind or RunMountType.Secret or RunMountType.Ssh;
        return new RunMount(type, target, source, from, ro, id, sharing ?? (type == RunMountType.Cache ? "shared" : ""),
            mode, uid, gid, required, size, env, raw);
    }

    private static string Name(RunMountType t) => t.ToString().ToLowerInvariant();

    private static bool ParseBool(string key, string value) => value.ToLowerInvariant() switch
    {
        "1" or "t" or "true" => true,
        "0" or "f" or "false" => false,
        _ => throw new FormatException($"invalid value for {key}: {value} (expected true or false)"),
    };

    private static uint ParseUInt(string key, string value, int radix)
    {
        try
        {
            if (value.Length == 0) throw new FormatException();
            ulong v = Convert.ToUInt64(value, radix);
            if (v > uint.MaxValue || (radix == 10 && !value.All(char.IsAsciiDigit)) || value.StartsWith('-')) throw new FormatException();
            return (uint)v;
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            throw new FormatException($"invalid value for {key}: {value} (expected a{(radix == 8 ? "n octal" : "")} number)");
        }
    }

    /// <summary>Sizes as docker's units.RAMInBytes: a number with an optional b/k/m/g/t/p suffix (binary multiples).</summary>
    internal static long ParseSize(string value)
    {
        string v = value.Trim().ToLowerInvariant();
        int end = 0;
        while (end < v.Length && (char.IsAsciiDigit(v[end]) || v[end] == '.')) end++;
        if (end == 0 || !double.TryParse(v[..end], NumberStyles.Float, CultureInfo.InvariantCulture, out double n))
            throw new FormatException($"invalid size: '{value}'");
        string unit = v[end..].Trim();
        if (unit.EndsWith("ib", StringComparison.Ordinal)) unit = unit[..^2];
        else if (unit.Length == 2 && unit[1] == 'b') unit = unit[..1];
        long mul = unit switch
        {
            "" or "b" => 1,
            "k" => 1L << 10,
            "m" => 1L << 20,
            "g" => 1L << 30,
            "t" => 1L << 40,
            "p" => 1L << 50,
            _ => throw new FormatException($"invalid size: '{value}'"),
        };
        return (long)(n * mul);
    }

    private static List<string> SplitCsv(string s)
    {
        var fields = new List<string>();
        var f = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < s.Length && s[i + 1] == '"') { f.Append('"'); i++; }
                    else quoted = false;
                }
                else f.Append(c);
            }
            else if (c == '"' && f.Length == 0) quoted = true;
            else if (c == ',') { fields.Add(f.ToString()); f.Clear(); }
            else f.Append(c);
        }
        if (quoted) throw new FormatException($"extraneous or missing \" in quoted-field: {s}");
        fields.Add(f.ToString());
        return fields;
    }
}
