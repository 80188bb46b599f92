namespace Skiff.Cli.Commands;

/// <summary>skiff history [--no-trunc] [-q] IMAGE: the config's history entries, newest first, with layer sizes.</summary>
public static class HistoryCommand
{
    public static int Run(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, ["--no-trunc", "-q", "--quiet", "-H", "--human"], ["--format"]);
        if (c.Positionals.Count != 1) throw new UsageException("history needs one image");
        var img = ctx.Images.Resolve(c.Positionals[0]);
        var history = img.Config.History ?? [];
        var rows = new List<string[]> { new[] { "IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT" } };
        int layer = 0;
        var lines = new List<string[]>();
        foreach (var h in history)
        {
            long size = 0;
            if (!h.EmptyLayer && layer < img.Manifest.Layers.Length) size = img.Manifest.Layers[layer++].Size;
            var by = h.CreatedBy ?? "";
            if (!c.Has("--no-trunc") && by.Length > 45) by = by[..44] + "…";
            lines.Add(["<missing>", Size.Ago(h.Created), by, Size.Human(size), h.Comment ?? ""]);
        }
        lines.Reverse();
        if (lines.Count > 0) lines[0][0] = c.Has("--no-trunc") ? img.Id.ToString() : img.Id.Short;
        if (c.Has("-q", "--quiet")) { foreach (var l in lines) ctx.Out.WriteLine(l[0]); return 0; }
        rows.AddRange(lines);
        Table.Write(ctx.Out, rows);
        return 0;
    }
}
