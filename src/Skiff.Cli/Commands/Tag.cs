using Skiff.Images.References;

namespace Skiff.Cli.Commands;

/// <summary>skiff tag SOURCE TARGET</summary>
public static class Tag
{
    public static int Run(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, [], []);
        if (c.Positionals.Count != 2) throw new UsageException("tag needs SOURCE_IMAGE and TARGET_IMAGE");
        var src = ctx.Images.Resolve(c.Positionals[0]);
        var dst = Reference.Parse(c.Positionals[1]);
        if (dst.Digest is not null) throw new UsageException("tag: target cannot carry a digest");
        ctx.Images.Images.Set(dst.ToString(), src.Target);
        return 0;
    }
}
