using Oar.Cli;
using Skiff.Linux;
using Skiff.Runtime.Container;

namespace Oar.Commands;

/// <summary>`run`: create + start. In the foreground oar is the container's subreaper: it forwards signals
/// (and, for a terminal without --console-socket, proxies the pty), waits for the init, deletes the container
/// (unless --keep) and exits with the container's exit code.</summary>
public static class RunCommand
{
    public static int Run(Context ctx, string[] argv, int start)
    {
        var a = Args.Parse(argv, start, CreateCommand.ValueFlags, CreateCommand.BoolFlags, "run");
        bool detach = a.Has("detach", "d");
        var options = CreateCommand.Options(ctx, a, "run", subreaper: !detach);
        TerminalProxy? proxy = null;
        if (!detach)
        {
            options = options with { ConsoleFactory = () => (proxy = new TerminalProxy()).ContainerEnd };
        }
        try
        {
            var created = Create.Run(ctx.Store, options);
            var id = options.Id;
            try
            {
                proxy?.Start();
                Start.Run(ctx.Store, id);
            }
            catch
            {
                TryDelete(ctx, id);
                throw;
            }
            if (detach) return 0;

            int status;
            using (SignalForwarding.To(created.Record.Pid)) Processes.Wait(created.Record.Pid, out status);
            proxy?.Drain();
            if (!a.Has("keep")) TryDelete(ctx, id);
            return Processes.ExitCode(status);
        }
        finally { proxy?.Dispose(); }
    }

    static void TryDelete(Context ctx, string id)
    {
        try { foreach (var w in Delete.Run(ctx.Store, id, force: true)) ctx.Log.Warn(w); }
        catch (Exception e) { ctx.Log.Warn($"run: cleaning up {id}: {e.Message}"); }
    }
}
