using System.Text.Json;
using Skiff.Images.Formats;
using Skiff.Images.References;

namespace Skiff.Cli.Commands;

/// <summary>skiff inspect IMAGE...: docker-style JSON (Id, RepoTags, RepoDigests, Created, Architecture, Os, Size,
/// Config, RootFS) plus the manifest descriptor.</summary>
public static class Inspect
{
    public static int Run(Context ctx, List<string> args, string? type = null)
    {
        var c = CommandLine.Parse(args, ["-s", "--size"], ["--format", "-f", "--type"]);
        if (c.Positionals.Count == 0) throw new UsageException("inspect needs at least one object");
        type ??= c.Value("--type");
        if (type is not (null or "container" or "image")) throw new UsageException($"\"{type}\" is not a valid value for --type");
        var items = new List<Action<Utf8JsonWriter>>();
        var records = ctx.Images.Images.List();
        var format = c.Value("--format", "-f");
        var texts = new List<string>();
        int rc = 0;
        foreach (var name in c.Positionals)
        {
            if (type is null or "container")
            {
                Skiff.Engine.Containers.ContainerRecord? rec = null;
                try { rec = ctx.Engine.Containers.Get(name); }
                catch (Skiff.Engine.EngineException e) when (e.Kind == Skiff.Engine.EngineErrorKind.NotFound && type is null) { }
                catch (Skiff.Engine.EngineException e) when (e.Kind == Skiff.Engine.EngineErrorKind.NotFound)
                {
                    ctx.Err.WriteLine($"Error: No such container: {name}");
                    rc = 1;
                    continue;
                }
                if (rec is not null)
                {
                    rec.Skiff = null;
                    var bytes = JsonSerializer.SerializeToUtf8Bytes(rec, Skiff.Engine.Containers.ContainerJson.Default.ContainerRecord);
                    if (format is not null) { texts.Add(InspectFormat.Render(format, bytes)); continue; }
                    items.Add(w => { using var d = JsonDocument.Parse(bytes); foreach (var p in d.RootElement.EnumerateObject()) p.WriteTo(w); });
                    continue;
                }
            }
            var img = ctx.Images.TryResolve(name);
            if (img is null)
            {
                ctx.Err.WriteLine($"Error: No such object: {name}");
                rc = 1;
                continue;
            }
            if (format is not null)
            {
                var one = Json.Array([ImageJson(ctx, img, records)]);
                using var d = JsonDocument.Parse(one);
                texts.Add(InspectFormat.Render(format, System.Text.Encoding.UTF8.GetBytes(d.RootElement[0].GetRawText())));
                continue;
            }
            items.Add(ImageJson(ctx, img, records));
        }
        if (format is not null) foreach (var t in texts) ctx.Out.WriteLine(t);
        else ctx.Out.WriteLine(Json.Array(items));
        return rc;
    }

    static Action<Utf8JsonWriter> ImageJson(Context ctx, Skiff.Images.LocalImage img, IReadOnlyList<Skiff.Images.Metadata.ImageRecord> records)
    {
        {
            var names = records.Where(r => ctx.Images.TryLoad(r)?.Id == img.Id).Select(r => Reference.Parse(r.Name)).ToList();
            var configBytes = ctx.Images.Content.ReadAll(img.Id);
            return w =>
            {
                w.WriteString("Id", img.Id.ToString());
                Json.StringArray(w, "RepoTags", names.Where(n => n.Tag is not null).Select(n => n.Familiar));
                Json.StringArray(w, "RepoDigests", names.Select(n => $"{n.WithTag("x").Familiar[..^2]}@{img.ManifestDescriptor.Digest}").Distinct());
                w.WriteString("Created", img.Config.Created?.ToString("o") ?? "");
                w.WriteString("Architecture", img.Config.Architecture);
                if (img.Config.Variant is not null) w.WriteString("Variant", img.Config.Variant);
                w.WriteString("Os", img.Config.Os);
                w.WriteNumber("Size", img.CompressedSize);
                using var cfg = JsonDocument.Parse(configBytes);
                if (cfg.RootElement.TryGetProperty("config", out var run)) { w.WritePropertyName("Config"); run.WriteTo(w); }
                w.WriteStartObject("RootFS");
                w.WriteString("Type", img.Config.RootFs.Type);
                Json.StringArray(w, "Layers", img.Config.RootFs.DiffIds);
                w.WriteEndObject();
                w.WriteStartObject("Descriptor");
                w.WriteString("mediaType", img.ManifestDescriptor.MediaType);
                w.WriteString("digest", img.ManifestDescriptor.Digest);
                w.WriteNumber("size", img.ManifestDescriptor.Size);
                w.WriteEndObject();
                w.WriteStartObject("Metadata");
                w.WriteString("LastTagTime", img.Record?.Updated.ToString("o") ?? "");
                w.WriteEndObject();
            };
        }
    }
}
