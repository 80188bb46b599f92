using System.Text.Json;
using Skiff.Cli.Templates;
using Skiff.Images.Formats;
using Skiff.Images.References;

namespace Skiff.Cli.Commands;

/// <summary>skiff inspect [-f TEMPLATE|json] IMAGE...: docker-style JSON (Id, RepoTags, RepoDigests, Created, Architecture, Os, Size,
/// Config, RootFS) plus the manifest descriptor.</summary>
public static class Inspect
{
    public static int Run(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, [], ["--format", "-f", "--type"]);
        if (c.Positionals.Count == 0) throw new UsageException("inspect needs at least one image");
        var items = new List<Action<Utf8JsonWriter>>();
        var records = ctx.Images.Images.List();
        foreach (var name in c.Positionals)
        {
            var img = ctx.Images.Resolve(name);
            var names = records.Where(r => ctx.Images.TryLoad(r)?.Id == img.Id).Select(r => Reference.Parse(r.Name)).ToList();
            var configBytes = ctx.Images.Content.ReadAll(img.Id);
            items.Add(w =>
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
            });
        }
        var format = c.Value("--format") ?? c.Value("-f");
        if (string.IsNullOrEmpty(format))
        {
            ctx.Out.WriteLine(Json.Array(items));
            return 0;
        }
        var objects = items.Select(i => Json.Object(i)).ToList();
        if (format == "json")
        {
            // docker's compact form: the whole array on one line.
            ctx.Out.WriteLine("[" + string.Join(",", objects) + "]");
            return 0;
        }
        GoTemplate template;
        try { template = GoTemplate.Parse(format); }
        catch (TemplateException e) { throw new TemplateException("template parsing error: " + e.Message, e.Line, e.Column); }
        var output = new System.Text.StringBuilder();
        foreach (var o in objects)
        {
            using var doc = JsonDocument.Parse(o);
            try
            {
                // docker runs inspect templates over the raw JSON with missingkey=error.
                template.Execute(output, TemplateValue.FromJson(doc.RootElement), missingKey: MissingKey.Error);
            }
            catch (TemplateException e)
            {
                throw new TemplateException("template parsing error: " + e.Message, e.Line, e.Column);
            }
            output.Append('\n');
        }
        ctx.Out.Write(output.ToString());
        return 0;
    }
}
