using Skiff.Build.Cache;

namespace Skiff.Cli.Commands;

/// <summary>skiff builder prune [-f] [-a|--all]: removes build cache records (without --all only those no image
/// uses), then the layers and snapshots nothing references any more.</summary>
public static class BuilderPrune
{
    public static int Run(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, ["-f", "--force", "-a", "--all"], ["--filter", "--keep-storage"]);
        var r = CachePrune.Run(ctx.Images, c.Has("-a", "--all"));
        ctx.Out.WriteLine($"Deleted build cache objects: {r.Records} records, {r.Mounts} cache mounts, {r.Gc.BlobsRemoved} blobs, {r.Gc.SnapshotsRemoved} snapshots");
        ctx.Out.WriteLine($"Total reclaimed space: {Size.Human(r.Gc.BytesRemoved)}");
        return 0;
    }
}
