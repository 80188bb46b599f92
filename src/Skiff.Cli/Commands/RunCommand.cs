using Skiff.Engine.Containers;

namespace Skiff.Cli.Commands;

/// <summary>skiff run [flags] IMAGE [COMMAND] [ARG...]: create + start. Detached (-d) prints the full ID; otherwise the
/// container's output is shown (stdin too with -i, a terminal with -t) and skiff exits with the container's code.
/// --rm removes the container when it exits: this command in the foreground, the shim's exit command (`container
/// cleanup --rm`) with -d.</summary>
public static class RunCommand
{
    public static async Task<int> Run(Context ctx, List<string> args)
    {
        var c = ContainerFlags.Parse(args);
        var req = ContainerFlags.Request(c);
        await ImageAcquire.Ensure(ctx, req.Image, c.Value("--pull"), c.Has("-q", "--quiet"));
        var engine = ctx.Engine;
        var rec = engine.Containers.Create(req);
        if (c.Value("--cidfile") is { } cid) File.WriteAllText(cid, rec.Id);
        bool detach = c.Has("-d", "--detach");
        // In the foreground we remove an --rm container ourselves, after its output and exit code: claim that before it
        // starts, so its shim's clean-up leaves it to us (the claim goes with this process if it dies).
        IDisposable? claim = !detach && req.HostConfig.AutoRemove ? engine.Containers.ClaimRemoval(rec.Id) : null;
        try { engine.Containers.Start(rec.Id); }
        catch (StartFailedException e)
        {
            ctx.Err.WriteLine($"skiff: Error response from daemon: {e.Message}");
            if (req.HostConfig.AutoRemove) try { engine.Containers.Remove(rec.Id, force: true, removeVolumes: true); } catch { }
            claim?.Dispose();
            return e.ExitCode;
        }
        catch { claim?.Dispose(); throw; }
        if (detach)
        {
            ctx.Out.WriteLine(rec.Id);
            return 0;
        }
        return ForegroundSession.Run(ctx, rec.Id, new ForegroundOptions
        {
            Stdin = req.Config.OpenStdin, Tty = req.Config.Tty, RemoveAfter = req.HostConfig.AutoRemove, RemovalClaim = claim,
            DetachKeys = c.Value("--detach-keys"),
        });
    }
}
