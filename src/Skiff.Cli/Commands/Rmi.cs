using Skiff.Images;
using Skiff.Images.References;

namespace Skiff.Cli.Commands;

/// <summary>skiff rmi [-f] [--no-prune] IMAGE...</summary>
public static class Rmi
{
    public static int Run(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, ["-f", "--force", "--no-prune"], []);
        if (c.Positionals.Count == 0) throw new UsageException("rmi needs at least one image");
        int rc = 0;
        foreach (var arg in c.Positionals)
        {
            try
            {
                var r = ImageRemoval.Remove(ctx.Images, arg, c.Has("-f", "--force"), prune: !c.Has("--no-prune"));
                foreach (var n in r.Untagged) ctx.Out.WriteLine($"Untagged: {Reference.Parse(n).Familiar}");
                if (r.Deleted is { } d) ctx.Out.WriteLine($"Deleted: {d}");
            }
            catch (Exception e) when (e is ImageNotFoundException or ImageInUseException)
            {
                ctx.Err.WriteLine($"Error: {e.Message}");
                rc = 1;
            }
        }
        return rc;
    }
}
