using System.Text.Json;
using Skiff.Shim.Protocol;

namespace Skiff.Shim;

/// <summary>
/// The shim's side of the protocol JSON, read with Utf8JsonReader and written with <see cref="JsonObjectWriter"/>: the same
/// camelCase documents <see cref="ShimJson"/> reads and writes on the engine side (the shim tests cross-check
/// both), without the serializer's metadata and converter caches — about 100 KB of live heap and a few hundred KB
/// of code an idle shim would otherwise keep resident.
/// </summary>
static class ProtocolCodec
{
    public static ShimConfig ReadConfig(ReadOnlySpan<byte> json)
    {
        var c = new ShimConfig();
        var r = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        Expect(ref r, JsonTokenType.StartObject, "the document");
        while (Next(ref r, out var name))
        {
            switch (Key(name))
            {
                case "id": c.Id = Str(ref r, name); break;
                case "bundlepath": c.BundlePath = Str(ref r, name); break;
                case "runtimepath": c.RuntimePath = Str(ref r, name); break;
                case "runtimeroot": c.RuntimeRoot = Str(ref r, name); break;
                case "runtimeargs": c.RuntimeArgs = Strings(ref r, name); break;
                case "terminal": c.Terminal = Bool(ref r, name); break;
                case "openstdin": c.OpenStdin = Bool(ref r, name); break;
                case "stdinonce": c.StdinOnce = Bool(ref r, name); break;
                case "consolerows": c.ConsoleRows = Int(ref r, name); break;
                case "consolecols": c.ConsoleCols = Int(ref r, name); break;
                case "logdriver": c.LogDriver = Str(ref r, name); break;
                case "logpath": c.LogPath = Str(ref r, name); break;
                case "logmaxsize": c.LogMaxSize = Long(ref r, name); break;
                case "logmaxfiles": c.LogMaxFiles = Int(ref r, name); break;
                case "attachsocketpath": c.AttachSocketPath = Str(ref r, name); break;
                case "controlsocketpath": c.ControlSocketPath = Str(ref r, name); break;
                case "exitpath": c.ExitPath = Str(ref r, name); break;
                case "statepath": c.StatePath = Str(ref r, name); break;
                case "restartpolicy": c.RestartPolicy = Policy(ref r); break;
                case "heldports": c.HeldPorts = Ports(ref r); break;
                case "exitcommand": c.ExitCommand = Strings(ref r, name); break;
                default: r.Skip(); break;
            }
        }
        return c;
    }

    public static AttachRequest ReadAttach(ReadOnlySpan<byte> json)
    {
        var a = new AttachRequest();
        var r = new Utf8JsonReader(json);
        Expect(ref r, JsonTokenType.StartObject, "the attach request");
        while (Next(ref r, out var name))
        {
            switch (Key(name))
            {
                case "stdin": a.Stdin = Bool(ref r, name); break;
                case "stdout": a.Stdout = Bool(ref r, name); break;
                case "stderr": a.Stderr = Bool(ref r, name); break;
                case "logs": a.Logs = Bool(ref r, name); break;
                default: r.Skip(); break;
            }
        }
        return a;
    }

    public static byte[] Write(ShimState s) => new JsonObjectWriter()
        .Number("shimPid", s.ShimPid)
        .Number("shimStartTime", (long)s.ShimStartTime)
        .Number("containerPid", s.ContainerPid)
        .Instant("startedAt", s.StartedAt)
        .Number("restartCount", s.RestartCount)
        .String("status", s.Status)
        .String("attachSocketPath", s.AttachSocketPath)
        .String("controlSocketPath", s.ControlSocketPath)
        .ToArray();

    public static byte[] Write(ShimExit e) => new JsonObjectWriter()
        .Number("exitCode", e.ExitCode)
        .Instant("startedAt", e.StartedAt)
        .Instant("finishedAt", e.FinishedAt)
        .Bool("oomKilled", e.OomKilled)
        .Number("restartCount", e.RestartCount)
        .String("error", e.Error)
        .Bool("restarting", e.Restarting)
        .ToArray();

    /// <summary>Property names compared without case, ASCII only: <c>ToLowerInvariant</c> would build the invariant
    /// culture's data (about 17 KB an idle shim would keep).</summary>
    static string Key(string name)
    {
        foreach (char ch in name)
            if (ch is >= 'A' and <= 'Z')
                return string.Create(name.Length, name, static (span, n) =>
                {
                    for (int i = 0; i < n.Length; i++) span[i] = n[i] is >= 'A' and <= 'Z' ? (char)(n[i] + 32) : n[i];
                });
        return name;
    }

    static RestartPolicy Policy(ref Utf8JsonReader r)
    {
        var p = new RestartPolicy();
        Expect(ref r, JsonTokenType.StartObject, "restartPolicy");
        while (Next(ref r, out var name))
        {
            switch (Key(name))
            {
                case "name": p.Name = Str(ref r, "restartPolicy.name"); break;
                case "maximumretrycount": p.MaximumRetryCount = Int(ref r, "restartPolicy.maximumRetryCount"); break;
                default: r.Skip(); break;
            }
        }
        return p;
    }

    static List<HeldPort> Ports(ref Utf8JsonReader r)
    {
        var list = new List<HeldPort>();
        r.Read();
        if (r.TokenType == JsonTokenType.Null) return list;
        if (r.TokenType != JsonTokenType.StartArray) throw new JsonException("heldPorts: expected an array");
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            if (r.TokenType != JsonTokenType.StartObject) throw new JsonException("heldPorts: expected objects");
            var p = new HeldPort();
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                var name = r.GetString()!;
                switch (Key(name))
                {
                    case "proto": p.Proto = Str(ref r, "heldPorts.proto"); break;
                    case "hostip": p.HostIp = Str(ref r, "heldPorts.hostIp"); break;
                    case "hostport": p.HostPort = Int(ref r, "heldPorts.hostPort"); break;
                    default: r.Skip(); break;
                }
            }
            list.Add(p);
        }
        return list;
    }

    static void Expect(ref Utf8JsonReader r, JsonTokenType type, string what)
    {
        r.Read();
        if (r.TokenType != type) throw new JsonException($"{what}: expected {type}, found {r.TokenType}");
    }

    /// <summary>Moves to the next property of the current object; false at its end.</summary>
    static bool Next(ref Utf8JsonReader r, out string name)
    {
        r.Read();
        if (r.TokenType == JsonTokenType.EndObject) { name = ""; return false; }
        if (r.TokenType != JsonTokenType.PropertyName) throw new JsonException($"expected a property name, found {r.TokenType}");
        name = r.GetString()!;
        return true;
    }

    static string Str(ref Utf8JsonReader r, string field)
    {
        r.Read();
        return r.TokenType switch
        {
            JsonTokenType.String => r.GetString()!,
            JsonTokenType.Null => "",
            _ => throw new JsonException($"{field}: expected a string, found {r.TokenType}"),
        };
    }

    static List<string> Strings(ref Utf8JsonReader r, string field)
    {
        var list = new List<string>();
        r.Read();
        if (r.TokenType == JsonTokenType.Null) return list;
        if (r.TokenType != JsonTokenType.StartArray) throw new JsonException($"{field}: expected an array of strings");
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
            list.Add(r.TokenType == JsonTokenType.String ? r.GetString()! : throw new JsonException($"{field}: expected strings"));
        return list;
    }

    static bool Bool(ref Utf8JsonReader r, string field)
    {
        r.Read();
        return r.TokenType switch
        {
            JsonTokenType.True => true,
            JsonTokenType.False or JsonTokenType.Null => false,
            _ => throw new JsonException($"{field}: expected true or false, found {r.TokenType}"),
        };
    }

    static int Int(ref Utf8JsonReader r, string field)
    {
        r.Read();
        return r.TokenType == JsonTokenType.Number && r.TryGetInt32(out int v) ? v : throw new JsonException($"{field}: expected a 32-bit integer");
    }

    static long Long(ref Utf8JsonReader r, string field)
    {
        r.Read();
        return r.TokenType == JsonTokenType.Number && r.TryGetInt64(out long v) ? v : throw new JsonException($"{field}: expected an integer");
    }
}
