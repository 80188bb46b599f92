using System.Text.Json;
using Skiff.Runtime.Spec;

namespace Skiff.Engine.Specs;

/// <summary>--security-opt seccomp=FILE: a profile in docker's format (defaultAction, defaultErrnoRet, architectures or
/// archMap, syscalls with names/action/args/errnoRet; entries with includes/excludes conditions are kept only when
/// they have none, as a conservative reading) or in the OCI format, which shares those fields.</summary>
public static class SeccompProfileFile
{
    public static Seccomp Load(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        { throw EngineException.Invalid($"opening seccomp profile ({path}) failed: {e.Message}"); }
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            var r = doc.RootElement;
            var s = new Seccomp
            {
                DefaultAction = r.GetProperty("defaultAction").GetString(),
                DefaultErrnoRet = r.TryGetProperty("defaultErrnoRet", out var de) ? de.GetUInt32() : null,
                Syscalls = [],
            };
            if (r.TryGetProperty("architectures", out var archs)) s.Architectures = archs.EnumerateArray().Select(a => a.GetString()!).ToList();
            else if (r.TryGetProperty("archMap", out var map))
            {
                s.Architectures = [];
                foreach (var m in map.EnumerateArray())
                {
                    s.Architectures.Add(m.GetProperty("architecture").GetString()!);
                    if (m.TryGetProperty("subArchitectures", out var subs)) s.Architectures.AddRange(subs.EnumerateArray().Select(a => a.GetString()!));
                }
            }
            if (r.TryGetProperty("syscalls", out var calls))
                foreach (var c in calls.EnumerateArray())
                {
                    if (HasConditions(c, "includes") || HasConditions(c, "excludes")) continue;
                    var names = c.TryGetProperty("names", out var n) ? n.EnumerateArray().Select(x => x.GetString()!).ToList()
                        : c.TryGetProperty("name", out var one) ? [one.GetString()!] : [];
                    var sc = new SeccompSyscall { Names = names, Action = c.GetProperty("action").GetString() };
                    if (c.TryGetProperty("errnoRet", out var er)) sc.ErrnoRet = er.GetUInt32();
                    if (c.TryGetProperty("args", out var args) && args.ValueKind == JsonValueKind.Array)
                        sc.Args = args.EnumerateArray().Select(a => new SeccompArg
                        {
                            Index = a.GetProperty("index").GetUInt32(),
                            Value = a.GetProperty("value").GetUInt64(),
                            ValueTwo = a.TryGetProperty("valueTwo", out var v2) ? v2.GetUInt64() : 0,
                            Op = a.GetProperty("op").GetString(),
                        }).ToList();
                    s.Syscalls.Add(sc);
                }
            return s;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw EngineException.Invalid($"Decoding seccomp profile failed: {path}: {e.Message}");
        }
    }

    static bool HasConditions(JsonElement c, string key)
        => c.TryGetProperty(key, out var x) && x.ValueKind == JsonValueKind.Object && x.EnumerateObject().Any();
}
