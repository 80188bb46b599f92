using System.Runtime.InteropServices;
using Oar.Cli;
using Skiff.Linux;
using Skiff.Runtime.Container;

namespace Oar.Commands;

/// <summary>`run`: create + start. In the foreground oar is the container's subreaper: it forwards signals,
/// waits for the init, deletes the container (unless --keep) and exits with the container's exit code.</summary>
public static class RunCommand
{
    public static int Run(Context ctx, string[] argv, int start)
    {
        var a = Args.Parse(argv, start, CreateCommand.ValueFlags, CreateCommand.BoolFlags, "run");
        bool detach = a.Has("detach", "d");
        var options = CreateCommand.Options(ctx, a, "run", subreaper: !detach);
        var created = Create.Run(ctx.Store, options);
        var id = options.Id;
        try { Start.Run(ctx.Store, id); }
        catch
        {
            TryDelete(ctx, id);
            throw;
        }
        if (detach) return 0;

        int pid = created.Record.Pid;
        var registrations = new List<PosixSignalRegistration>();
        foreach (var sig in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT,
                     PosixSignal.SIGCONT, PosixSignal.SIGWINCH, (PosixSignal)Processes.SIGUSR1, (PosixSignal)12 })
        {
            registrations.Add(PosixSignalRegistration.Create(sig, c =>
            {
                c.Cancel = true;
                Processes.Signal(pid, RawNumber(c.Signal));
            }));
        }
        Processes.Wait(pid, out int status);
        foreach (var r in registrations) r.Dispose();
        if (!a.Has("keep")) TryDelete(ctx, id);
        return Processes.ExitCode(status);
    }

    static int RawNumber(PosixSignal s) => s switch
    {
        PosixSignal.SIGINT => 2, PosixSignal.SIGTERM => 15, PosixSignal.SIGHUP => 1, PosixSignal.SIGQUIT => 3,
        PosixSignal.SIGCONT => 18, PosixSignal.SIGWINCH => 28, _ => (int)s,
    };

    static void TryDelete(Context ctx, string id)
    {
        try { foreach (var w in Delete.Run(ctx.Store, id, force: true)) ctx.Log.Warn(w); }
        catch (Exception e) { ctx.Log.Warn($"run: cleaning up {id}: {e.Message}"); }
    }
}
