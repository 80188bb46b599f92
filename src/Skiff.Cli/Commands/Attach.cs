namespace Skiff.Cli.Commands;

/// <summary>skiff attach [--no-stdin] CONTAINER: our stdio to a running container until it exits; exits with its code.</summary>
public static class Attach
{
    public static int Run(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, ["--no-stdin", "--sig-proxy"], ["--detach-keys"]);
        if (c.Positionals.Count != 1) throw new UsageException("attach requires exactly 1 argument");
        var rec = ctx.Engine.Containers.Get(c.Positionals[0]);
        if (!rec.State.Running) throw new Engine.EngineException(Engine.EngineErrorKind.Conflict, "You cannot attach to a stopped container, start it first");
        if (rec.State.Paused) throw new Engine.EngineException(Engine.EngineErrorKind.Conflict, "You cannot attach to a paused container, unpause it first");
        return ForegroundSession.Run(ctx, rec.Id, new ForegroundOptions
        {
            Stdin = rec.Config.OpenStdin && !c.Has("--no-stdin"), Tty = rec.Config.Tty, DetachKeys = c.Value("--detach-keys"), DetachIsError = true, FromLogStart = false,
        });
    }
}
