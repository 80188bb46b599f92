using Oar.Cli;
using Skiff.Runtime.Container;

namespace Oar.Commands;

public static class KillCommand
{
    public static int Run(Context ctx, string[] argv, int start)
    {
        var a = Args.Parse(argv, start, new HashSet<string>(), ["all", "a"], "kill");
        if (a.Positional.Count is < 1 or > 2) throw new UsageException("kill: usage: oar kill [--all] <container-id> [SIGNAL]");
        int signal = a.Positional.Count == 2 ? SignalNames.Parse(a.Positional[1]) : 15;
        Kill.Run(ctx.Store, a.Positional[0], signal, a.Has("all", "a"));
        return 0;
    }
}
