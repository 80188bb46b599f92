using System.Text;
using System.Text.Json;
using Skiff.Runtime.Init;
using Skiff.Runtime.Spec;
using static Skiff.Runtime.Spec.JsonRead;

namespace Skiff.Runtime.Container;

/// <summary>Hand-written JSON for the small documents every oar command reads or writes (state.json, the
/// runtime-spec state, the init's options): no serializer set-up on the start path.</summary>
public static class RecordJson
{
    public static byte[] Write(ContainerRecord r) => Json(w =>
    {
        w.WriteString("id", r.Id); w.WriteString("bundle", r.Bundle); w.WriteString("rootfs", r.Rootfs);
        w.WriteNumber("pid", r.Pid); w.WriteNumber("pidStartTime", r.PidStartTime); w.WriteString("created", r.Created);
        if (r.CgroupsPath is not null) w.WriteString("cgroupsPath", r.CgroupsPath);
        w.WriteString("ociVersion", r.OciVersion); w.WriteString("owner", r.Owner);
        w.WriteBoolean("ownsPidNamespace", r.OwnsPidNamespace);
        w.WriteBoolean("hasPoststartHooks", r.HasPoststartHooks); w.WriteBoolean("hasPoststopHooks", r.HasPoststopHooks);
        Annotations(w, r.Annotations);
    });

    public static ContainerRecord ReadRecord(ReadOnlyMemory<byte> json, string what) => SpecLoader.Read(json, what, e => new ContainerRecord
    {
        Id = Str(P(e, "id"), "id") ?? "", Bundle = Str(P(e, "bundle"), "bundle") ?? "", Rootfs = Str(P(e, "rootfs"), "rootfs") ?? "",
        Pid = Int(P(e, "pid"), "pid") ?? 0, PidStartTime = ULong(P(e, "pidStartTime"), "pidStartTime") ?? 0,
        Created = Str(P(e, "created"), "created") ?? "", CgroupsPath = Str(P(e, "cgroupsPath"), "cgroupsPath"),
        OciVersion = Str(P(e, "ociVersion"), "ociVersion") ?? "", Owner = Str(P(e, "owner"), "owner") ?? "",
        OwnsPidNamespace = Bool(P(e, "ownsPidNamespace"), "ownsPidNamespace"),
        HasPoststartHooks = Bool(P(e, "hasPoststartHooks"), "hasPoststartHooks"), HasPoststopHooks = Bool(P(e, "hasPoststopHooks"), "hasPoststopHooks"),
        Annotations = StringMap(P(e, "annotations"), "annotations"),
    });

    /// <summary>The runtime-spec state document (hooks' stdin: compact; `oar state`: indented like runc).</summary>
    public static string State(ContainerStateJson s, bool indented = false) => Encoding.UTF8.GetString(Json(w =>
    {
        w.WriteString("ociVersion", s.OciVersion); w.WriteString("id", s.Id); w.WriteNumber("pid", s.Pid);
        w.WriteString("status", s.Status); w.WriteString("bundle", s.Bundle);
        if (s.Rootfs is not null) w.WriteString("rootfs", s.Rootfs);
        if (s.Created is not null) w.WriteString("created", s.Created);
        if (s.Owner is not null) w.WriteString("owner", s.Owner);
        Annotations(w, s.Annotations);
        if (s.OomKilled) w.WriteBoolean("oomKilled", true);
    }, indented));

    public static string StateList(IEnumerable<ContainerStateJson> states)
        => "[" + string.Join(",", states.Select(s => State(s))) + "]";

    public static byte[] Write(InitOptions o) => Json(w =>
    {
        w.WriteString("kind", o.Kind); w.WriteString("id", o.Id); w.WriteString("bundle", o.Bundle); w.WriteString("rootfs", o.Rootfs);
        w.WriteNumber("consoleFd", o.ConsoleFd); w.WriteBoolean("noPivot", o.NoPivot); w.WriteBoolean("noNewKeyring", o.NoNewKeyring);
        w.WriteNumber("fifoFd", o.FifoFd); w.WriteNumber("preserveFds", o.PreserveFds); w.WriteBoolean("hasSeccomp", o.HasSeccomp);
        w.WriteString("stateJson", o.StateJson);
    });

    public static InitOptions ReadInitOptions(ReadOnlyMemory<byte> json) => SpecLoader.Read(json, "init options", e => new InitOptions
    {
        Kind = Str(P(e, "kind"), "kind") ?? "create", Id = Str(P(e, "id"), "id") ?? "", Bundle = Str(P(e, "bundle"), "bundle") ?? "",
        Rootfs = Str(P(e, "rootfs"), "rootfs") ?? "", ConsoleFd = Int(P(e, "consoleFd"), "consoleFd") ?? -1,
        NoPivot = Bool(P(e, "noPivot"), "noPivot"), NoNewKeyring = Bool(P(e, "noNewKeyring"), "noNewKeyring"),
        FifoFd = Int(P(e, "fifoFd"), "fifoFd") ?? -1, PreserveFds = Int(P(e, "preserveFds"), "preserveFds") ?? 0,
        HasSeccomp = Bool(P(e, "hasSeccomp"), "hasSeccomp"), StateJson = Str(P(e, "stateJson"), "stateJson") ?? "",
    });

    static void Annotations(Utf8JsonWriter w, Dictionary<string, string>? a)
    {
        if (a is null) return;
        w.WriteStartObject("annotations");
        foreach (var (k, v) in a) w.WriteString(k, v);
        w.WriteEndObject();
    }

    static byte[] Json(Action<Utf8JsonWriter> body, bool indented = false)
    {
        var buf = new MemoryStream();
        using (var w = new Utf8JsonWriter(buf, new JsonWriterOptions { Indented = indented, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return buf.ToArray();
    }
}
