using Oar.Cli;
using Skiff.Runtime.Container;

namespace Oar.Commands;

public static class DeleteCommand
{
    public static int Run(Context ctx, string[] argv, int start)
    {
        var a = Args.Parse(argv, start, new HashSet<string>(), ["force", "f"], "delete");
        if (a.Positional.Count < 1) throw new UsageException("delete: expects at least one container id");
        bool force = a.Has("force", "f");
        int rc = 0;
        foreach (var id in a.Positional)
        {
            try { foreach (var w in Delete.Run(ctx.Store, id, force)) ctx.Log.Warn(w); }
            catch (ContainerNotFoundException) when (force) { /* runc: delete --force of a missing container succeeds */ }
            catch (Exception e) when (a.Positional.Count > 1 && e is not OutOfMemoryException)
            {
                ctx.Log.Error(e.Message);
                rc = 1;
            }
        }
        return rc;
    }
}
