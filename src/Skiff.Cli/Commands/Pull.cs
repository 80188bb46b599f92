using Skiff.Images.Formats;
using Skiff.Images.References;
using Skiff.Images.Transfer;

namespace Skiff.Cli.Commands;

/// <summary>skiff pull [--platform os/arch[/variant]] [-q] [--insecure] NAME[:TAG|@DIGEST]</summary>
public static class Pull
{
    public static async Task<int> Run(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, ["-q", "--quiet", "--insecure", "--tls-verify=false"], ["--platform"]);
        if (c.Positionals.Count != 1) throw new UsageException("pull needs exactly one image reference");
        var reference = Reference.Parse(c.Positionals[0]);
        var platform = c.Value("--platform") is { } p ? Platform.Parse(p) : null;
        using var client = ctx.Registry(c.Has("--insecure"));
        var view = c.Has("-q", "--quiet") ? null : new ProgressView(ctx.Out, ctx.Terminal);
        if (view is not null && reference.Tag is not null) ctx.Out.WriteLine($"{reference.Tag}: Pulling from {reference.WithTag("x").Familiar[..^2]}");
        var image = await new Puller(ctx.Images, client).PullAsync(reference, platform, view);
        if (view is not null) ctx.Out.WriteLine($"Status: Downloaded newer image for {reference.Familiar}");
        ctx.Out.WriteLine(c.Has("-q", "--quiet") ? reference.Familiar : reference.ToString());
        _ = image;
        return 0;
    }
}
