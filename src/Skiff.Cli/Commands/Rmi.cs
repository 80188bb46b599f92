using Skiff.Images.References;

namespace Skiff.Cli.Commands;

/// <summary>skiff rmi [-f] IMAGE...: removes names; an image used by a container is refused without --force. The data
/// itself goes at the next `image prune` (or right away when no name is left, as docker does).</summary>
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
                var img = ctx.Images.Resolve(arg);
                var users = ctx.Images.Usage.UsersOf(img.Id);
                if (users.Count > 0 && !c.Has("-f", "--force"))
                    throw new InvalidOperationException($"conflict: unable to remove {arg} (image {img.Id.Short} is used by container {users[0]}): use --force");
                var all = ctx.Images.Images.List().Where(r => ctx.Images.TryLoad(r)?.Id == img.Id).ToList();
                // by ID (or --force on an ID): every name of the image; by name: just that name
                bool byName = Reference.TryParse(arg, out var r, out _) && all.Any(x => x.Name == r!.ToString());
                var doomed = byName ? all.Where(x => x.Name == r!.ToString()).ToList() : all;
                if (!byName && all.Count > 1 && !c.Has("-f", "--force"))
                    throw new InvalidOperationException($"conflict: unable to delete {img.Id.Short} (must be forced) - image is referenced in multiple repositories");
                foreach (var d in doomed)
                {
                    ctx.Images.Images.Delete(d.Name);
                    ctx.Out.WriteLine($"Untagged: {Reference.Parse(d.Name).Familiar}");
                }
                if (all.Count == doomed.Count && !c.Has("--no-prune"))
                {
                    Skiff.Images.Gc.GarbageCollector.Collect(ctx.Images);
                    ctx.Out.WriteLine($"Deleted: {img.Id}");
                }
            }
            catch (Exception e) when (e is Skiff.Images.ImageNotFoundException or InvalidOperationException)
            {
                ctx.Err.WriteLine($"Error: {e.Message}");
                rc = 1;
            }
        }
        return rc;
    }
}
