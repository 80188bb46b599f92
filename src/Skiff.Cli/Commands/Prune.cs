using Skiff.Images.Gc;

namespace Skiff.Cli.Commands;

/// <summary>skiff image prune [-a] [-f]: with -a, removes every image no container uses; then collects garbage (blobs
/// and snapshots no name references, partial downloads, debris of interrupted pulls).</summary>
public static class Prune
{
    public static int Run(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, ["-a", "--all", "-f", "--force"], ["--filter"]);
        int untagged = 0;
        if (c.Has("-a", "--all"))
        {
            foreach (var (rec, img) in ctx.Images.List().ToList())
            {
                if (img is not null && ctx.Images.Usage.UsersOf(img.Id).Count > 0) continue;
                ctx.Images.Images.Delete(rec.Name);
                ctx.Out.WriteLine($"untagged: {Images.References.Reference.Parse(rec.Name).Familiar}");
                untagged++;
            }
        }
        var r = GarbageCollector.Collect(ctx.Images);
        ctx.Out.WriteLine($"Deleted {r.BlobsRemoved} blobs, {r.SnapshotsRemoved} snapshots, {r.PartialsRemoved} partial downloads");
        ctx.Out.WriteLine($"Total reclaimed space: {Size.Human(r.BytesRemoved)}");
        return 0;
    }
}
