using Oar.Cli;
using Skiff.Runtime.Container;

namespace Oar.Commands;

public static class StartCommand
{
    public static int Run(Context ctx, string[] argv, int start)
    {
        var a = Args.Parse(argv, start, new HashSet<string>(), new HashSet<string>(), "start");
        if (a.Positional.Count != 1) throw new UsageException("start: expects exactly one container id");
        Start.Run(ctx.Store, a.Positional[0]);
        return 0;
    }
}
