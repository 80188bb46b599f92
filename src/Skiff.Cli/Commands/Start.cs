namespace Skiff.Cli.Commands;

/// <summary>skiff start [-a] [-i] CONTAINER...: starts created or stopped containers; -a attaches to the (single)
/// container and exits with its code.</summary>
public static class Start
{
    public static int Run(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, ["-a", "--attach", "-i", "--interactive"], ["--detach-keys"]);
        if (c.Positionals.Count == 0) throw new UsageException("start requires at least 1 argument");
        bool attach = c.Has("-a", "--attach"), interactive = c.Has("-i", "--interactive");
        if ((attach || interactive) && c.Positionals.Count > 1) throw new UsageException("you cannot start and attach multiple containers at once");
        int rc = 0;
        foreach (var name in c.Positionals)
        {
            try
            {
                if (attach || interactive)
                {
                    // As run --rm in the foreground: we remove an --rm container ourselves; claim it before it starts.
                    var found = ctx.Engine.Containers.Get(name);
                    IDisposable? claim = found.HostConfig.AutoRemove ? ctx.Engine.Containers.ClaimRemoval(found.Id) : null;
                    Engine.Containers.ContainerRecord rec;
                    try { rec = ctx.Engine.Containers.Start(found.Id); }
                    catch { claim?.Dispose(); throw; }
                    return ForegroundSession.Run(ctx, rec.Id, new ForegroundOptions
                    {
                        Stdin = interactive && rec.Config.OpenStdin, Tty = rec.Config.Tty, RemoveAfter = rec.HostConfig.AutoRemove,
                        RemovalClaim = claim, DetachKeys = c.Value("--detach-keys"),
                    });
                }
                ctx.Engine.Containers.Start(name);
                ctx.Out.WriteLine(name);
            }
            catch (Engine.EngineException e) when (c.Positionals.Count > 1)
            {
                ctx.Err.WriteLine($"Error response from daemon: {e.Message}");
                rc = 1;
            }
        }
        if (rc != 0) ctx.Err.WriteLine("Error: failed to start containers: " + string.Join(", ", c.Positionals));
        return rc;
    }
}
