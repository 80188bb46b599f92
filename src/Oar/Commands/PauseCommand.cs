using Oar.Cli;
using Skiff.Runtime.Container;

namespace Oar.Commands;

public static class PauseCommand
{
    public static int Run(Context ctx, string[] argv, int start, bool pause)
    {
        var a = Args.Parse(argv, start, new HashSet<string>(), new HashSet<string>(), pause ? "pause" : "resume");
        if (a.Positional.Count != 1) throw new UsageException($"{(pause ? "pause" : "resume")}: expects exactly one container id");
        if (pause) Pause.Freeze(ctx.Store, a.Positional[0]);
        else Pause.Thaw(ctx.Store, a.Positional[0]);
        return 0;
    }
}
