using Skiff.Images.References;

namespace Skiff.Cli.Commands;

/// <summary>skiff images [-q] [--digests] [--no-trunc] [--format table|json] [REPOSITORY[:TAG]]</summary>
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
        if (c.Value("--format") is "json" or "{{json .}}")
        {
            foreach (var r in rows)
                ctx.Out.WriteLine(Json.Object(w =>
                {
                    w.WriteString("Repository", r.Repo);
                    w.WriteString("Tag", r.Tag);
                    w.WriteString("Digest", r.Digest);
                    w.WriteString("ID", r.Id);
                    w.WriteString("CreatedAt", r.Created?.ToString("yyyy-MM-dd HH:mm:ss zzz") ?? "");
                    w.WriteString("CreatedSince", Size.Ago(r.Created));
                    w.WriteNumber("Size", r.Size);
                }));
            return 0;
        }
        var table = new List<string[]>();
        var header = c.Has("--digests")
            ? new[] { "REPOSITORY", "TAG", "DIGEST", "IMAGE ID", "CREATED", "SIZE" }
            : ["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"];
        table.Add(header);
        foreach (var r in rows)
            table.Add(c.Has("--digests")
                ? [r.Repo, r.Tag, r.Digest, r.Id, Size.Ago(r.Created), Size.Human(r.Size)]
                : [r.Repo, r.Tag, r.Id, Size.Ago(r.Created), Size.Human(r.Size)]);
        Table.Write(ctx.Out, table);
        return 0;
    }

    static bool Matches(string filter, Reference r, string familiarRepo)
    {
        if (!Reference.TryParse(filter, out var f, out _)) return familiarRepo == filter;
        bool tagGiven = filter.LastIndexOf(':') > filter.LastIndexOf('/');
        return f!.Repository == r.Repository && (!tagGiven || f.Tag == r.Tag);
    }
}
