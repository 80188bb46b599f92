using Skiff.Images;

namespace Skiff.Cli.Commands;

/// <summary>skiff image prune [-a] [-f]: with -a, removes every image no container uses; then collects garbage (blobs
/// and snapshots no name references, partial downloads, debris of interrupted pulls).</summary>
public static class Prune
{
    public static int Run(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, ["-a", "--all", "-f", "--force"], ["--filter"]);
        var (untagged, r) = ImageRemoval.Prune(ctx.Images, c.Has("-a", "--all"));
        foreach (var n in untagged) ctx.Out.WriteLine($"untagged: {Images.References.Reference.Parse(n).Familiar}");
        ctx.Out.WriteLine($"Deleted {r.BlobsRemoved} blobs, {r.SnapshotsRemoved} snapshots, {r.PartialsRemoved} partial downloads");
        ctx.Out.WriteLine($"Total reclaimed space: {Size.Human(r.BytesRemoved)}");
        return 0;
    }
}
