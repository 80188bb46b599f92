using Skiff.Images.References;
using Skiff.Images.Transfer;

namespace Skiff.Cli.Commands;

/// <summary>skiff push [-q] [--insecure] NAME[:TAG] [DESTINATION]</summary>
public static class Push
{
    public static async Task<int> Run(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, ["-q", "--quiet", "--insecure"], []);
        if (c.Positionals.Count is < 1 or > 2) throw new UsageException("push needs an image and optionally a destination");
        var image = ctx.Images.Resolve(c.Positionals[0]);
        var dest = Reference.Parse(c.Positionals.Count == 2 ? c.Positionals[1] : c.Positionals[0]);
        using var client = ctx.Registry(c.Has("--insecure"));
        var view = c.Has("-q", "--quiet") ? null : new ProgressView(ctx.Out, ctx.Terminal);
        if (view is not null) ctx.Out.WriteLine($"The push refers to repository [{dest.Repository}]");
        var digest = await new Pusher(ctx.Images, client).PushAsync(image, dest, view);
        ctx.Out.WriteLine(c.Has("-q", "--quiet") ? digest.ToString() : $"{dest.Object}: digest: {digest} size: {image.Target.Size}");
        return 0;
    }
}
