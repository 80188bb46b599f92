using Oar.Cli;
using Skiff.Runtime.Container;

namespace Oar.Commands;

public static class CreateCommand
{
    internal static readonly HashSet<string> ValueFlags = ["bundle", "b", "pid-file", "console-socket", "preserve-fds"];
    internal static readonly HashSet<string> BoolFlags = ["no-pivot", "no-new-keyring", "detach", "d", "keep", "no-subreaper"];

    public static int Run(Context ctx, string[] argv, int start)
    {
        var a = Args.Parse(argv, start, ValueFlags, BoolFlags, "create");
        Create.Run(ctx.Store, Options(ctx, a, "create", subreaper: false));
        return 0;
    }

    internal static CreateOptions Options(Context ctx, Args a, string command, bool subreaper)
    {
        if (a.Positional.Count != 1) throw new UsageException($"{command}: expects exactly one container id");
        int preserve = 0;
        if (a.Value("preserve-fds") is { } p && (!int.TryParse(p, out preserve) || preserve < 0))
            throw new UsageException($"{command}: --preserve-fds must be a non-negative number, not \"{p}\"");
        return new CreateOptions
        {
            Id = a.Positional[0],
            Bundle = a.Value("bundle", "b") ?? Directory.GetCurrentDirectory(),
            PidFile = a.Value("pid-file"),
            ConsoleSocket = a.Value("console-socket"),
            NoPivot = a.Has("no-pivot"),
            NoNewKeyring = a.Has("no-new-keyring"),
            PreserveFds = preserve,
            Subreaper = subreaper,
            SystemdCgroup = ctx.SystemdCgroup,
        };
    }
}
