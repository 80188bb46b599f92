namespace Skiff.Cli.Commands;

/// <summary>skiff system df: images (count, blob bytes, reclaimable), layer snapshots, and the store's totals.</summary>
public static class SystemDf
{
    public static int Run(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, ["-v", "--verbose"], ["--format"]);
        var imgs = ctx.Images.List().Where(x => x.Image is not null).ToList();
        var ids = imgs.Select(x => x.Image!.Id).Distinct().ToList();
        long blobTotal = ctx.Images.Content.List().Sum(b => b.Size);
        var used = imgs.Where(x => ctx.Images.Usage.UsersOf(x.Image!.Id).Count > 0).Select(x => x.Image!.Id).Distinct().Count();
        var referenced = new HashSet<string>();
        foreach (var (_, img) in imgs)
        {
            referenced.Add(img!.ManifestDescriptor.Digest);
            referenced.Add(img.Manifest.Config.Digest);
            foreach (var l in img.Manifest.Layers) referenced.Add(l.Digest);
        }
        long reclaimBlobs = ctx.Images.Content.List().Where(b => !referenced.Contains(b.Digest.ToString())).Sum(b => b.Size);
        var snaps = ctx.Images.Snapshots.List();
        long snapBytes = snaps.Sum(s => ctx.Images.Snapshots.Usage(s.Key));
        var rows = new List<string[]>
        {
            new[] { "TYPE", "TOTAL", "ACTIVE", "SIZE", "RECLAIMABLE" },
            new[] { "Images", ids.Count.ToString(), used.ToString(), Size.Human(blobTotal), Size.Human(reclaimBlobs) },
            new[] { "Layer snapshots", snaps.Count.ToString(), snaps.Count(s => s.Kind != Images.Snapshots.SnapshotKind.Committed).ToString(), Size.Human(snapBytes), "0B" },
        };
        Table.Write(ctx.Out, rows);
        if (c.Has("-v", "--verbose"))
        {
            ctx.Out.WriteLine();
            var t = new List<string[]> { new[] { "IMAGE", "ID", "SIZE" } };
            foreach (var (rec, img) in imgs) t.Add([Images.References.Reference.Parse(rec.Name).Familiar, img!.Id.Short, Size.Human(img.CompressedSize)]);
            Table.Write(ctx.Out, t);
        }
        return 0;
    }
}
