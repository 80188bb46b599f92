using System.Text.Json;

namespace Skiff.Runtime.Spec;

/// <summary>Writes a process object (what `exec` sends its init) without the serializer's set-up cost.</summary>
public static class ProcessWriter
{
    public static byte[] Write(Process p)
    {
        var buf = new MemoryStream();
        using (var w = new Utf8JsonWriter(buf))
        {
            w.WriteStartObject();
            w.WriteBoolean("terminal", p.Terminal);
            if (p.ConsoleSize is { } cs) { w.WriteStartObject("consoleSize"); w.WriteNumber("height", cs.Height); w.WriteNumber("width", cs.Width); w.WriteEndObject(); }
            if (p.User is { } u)
            {
                w.WriteStartObject("user");
                w.WriteNumber("uid", u.Uid); w.WriteNumber("gid", u.Gid);
                if (u.Umask is uint um) w.WriteNumber("umask", um);
                if (u.AdditionalGids is { } g) { w.WriteStartArray("additionalGids"); foreach (var x in g) w.WriteNumberValue(x); w.WriteEndArray(); }
                w.WriteEndObject();
            }
            Strings(w, "args", p.Args);
            Strings(w, "env", p.Env);
            if (p.Cwd is not null) w.WriteString("cwd", p.Cwd);
            if (p.Capabilities is { } c)
            {
                w.WriteStartObject("capabilities");
                Strings(w, "bounding", c.Bounding); Strings(w, "effective", c.Effective); Strings(w, "inheritable", c.Inheritable);
                Strings(w, "permitted", c.Permitted); Strings(w, "ambient", c.Ambient);
                w.WriteEndObject();
            }
            if (p.Rlimits is { } rl)
            {
                w.WriteStartArray("rlimits");
                foreach (var r in rl) { w.WriteStartObject(); w.WriteString("type", r.Type); w.WriteNumber("hard", r.Hard); w.WriteNumber("soft", r.Soft); w.WriteEndObject(); }
                w.WriteEndArray();
            }
            w.WriteBoolean("noNewPrivileges", p.NoNewPrivileges);
            if (p.ApparmorProfile is not null) w.WriteString("apparmorProfile", p.ApparmorProfile);
            if (p.OomScoreAdj is int oom) w.WriteNumber("oomScoreAdj", oom);
            w.WriteEndObject();
        }
        return buf.ToArray();
    }

    static void Strings(Utf8JsonWriter w, string name, List<string>? values)
    {
        if (values is null) return;
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }
}
