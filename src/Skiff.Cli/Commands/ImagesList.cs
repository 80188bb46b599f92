using Skiff.Cli.Templates;
using Skiff.Images.References;

namespace Skiff.Cli.Commands;

/// <summary>skiff images [-q] [--digests] [--no-trunc] [--format table|json|TEMPLATE] [REPOSITORY[:TAG]]</summary>
public static class ImagesList
{
    public static int Run(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, ["-q", "--quiet", "--digests", "--no-trunc", "-a", "--all"], ["--format", "--filter", "-f"]);
        var filter = c.Positionals.FirstOrDefault();
        var rows = new List<(string Repo, string Tag, string Digest, string Id, DateTimeOffset? Created, long Size)>();
        foreach (var (rec, img) in ctx.Images.List())
        {
            if (img is null) continue;
            var r = Reference.Parse(rec.Name);
            var repo = r.WithTag("x").Familiar[..^2];
            if (filter is not null && !Matches(filter, r, repo)) continue;
            var id = c.Has("--no-trunc") ? img.Id.ToString() : img.Id.Short;
            rows.Add((repo, r.Tag ?? "<none>", r.Digest ?? img.ManifestDescriptor.Digest, id, img.Config.Created, img.CompressedSize));
        }
        rows.Sort((a, b) => (b.Created ?? default).CompareTo(a.Created ?? default));
        if (c.Has("-q", "--quiet"))
        {
            foreach (var id in rows.Select(r => r.Id).Distinct()) ctx.Out.WriteLine(id);
            return 0;
        }
        var defaultTable = c.Has("--digests")
            ? "table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{if .CreatedSince }}{{.CreatedSince}}{{else}}N/A{{end}}\t{{.Size}}"
            : TableHeaders.ImagesTable;
        var format = FormatOption.Parse(c.Value("--format"), defaultTable);
        // docker's image list object: every field a string, keys in the order docker's JSON gives them (sorted).
        var values = rows.Select(r => TemplateValue.Map(new Dictionary<string, string>
        {
            ["Containers"] = "N/A",
            ["CreatedAt"] = r.Created is { } t ? $"{t.UtcDateTime:yyyy-MM-dd HH:mm:ss} +0000 UTC" : "",
            ["CreatedSince"] = Size.Ago(r.Created),
            ["Digest"] = r.Digest,
            ["ID"] = r.Id,
            ["Repository"] = r.Repo,
            ["SharedSize"] = "N/A",
            ["Size"] = Size.Human(r.Size),
            ["Tag"] = r.Tag,
            ["UniqueSize"] = "N/A",
            ["VirtualSize"] = Size.Human(r.Size),
        }));
        ctx.Out.Write(format.Render(values, TableHeaders.Images));
        return 0;
    }

    static bool Matches(string filter, Reference r, string familiarRepo)
    {
        if (!Reference.TryParse(filter, out var f, out _)) return familiarRepo == filter;
        bool tagGiven = filter.LastIndexOf(':') > filter.LastIndexOf('/');
        return f!.Repository == r.Repository && (!tagGiven || f.Tag == r.Tag);
    }
}
