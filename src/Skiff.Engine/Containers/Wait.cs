using Skiff.Engine.Shims;
using Skiff.Linux;

namespace Skiff.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>docker wait: blocks until the container is not running (a restart policy's restart counts as an exit,
    /// as docker's next-exit) and returns its exit code. A removed container (--rm) reports the code it exited with.</summary>
    public int Wait(string nameOrId, CancellationToken ct = default)
    {
        var id = Store.Resolve(nameOrId);
        var rec = Refresh(Store.Load(id), locked: false);
        if (!rec.State.Running && rec.State.Status != "paused") return rec.State.ExitCode;
        var cfg = ShimConfigOf(rec);
        var exitPath = Path.Combine(Store.Dir(id), "exit.json");
        var firstExit = File.Exists(exitPath) ? File.GetLastWriteTimeUtc(exitPath) : DateTime.MinValue;
        var state = cfg is null ? null : ShimFiles.ReadState(cfg.StatePath);
        Fd pidfd = Fd.None;
        if (state is not null) try { pidfd = Processes.PidfdOpen(state.ShimPid); } catch (LinuxException) { }
        using (pidfd)
            while (!ct.IsCancellationRequested)
            {
                if (pidfd.IsValid) Poll.Readable(pidfd.Value, 100); else Thread.Sleep(50);
                var exit = ShimFiles.ReadExit(exitPath);
                if (exit is not null && File.Exists(exitPath) && File.GetLastWriteTimeUtc(exitPath) != firstExit)
                {
                    Refresh(Store.TryLoad(id) ?? rec, locked: false);
                    return exit.ExitCode;
                }
                var cur = Store.TryLoad(id);
                if (cur is null) return RemovedExit(id) ?? rec.State.ExitCode;
                cur = Refresh(cur, locked: false);
                if (!cur.State.Running && cur.State.Status != "paused") return cur.State.ExitCode;
            }
        throw new OperationCanceledException();
    }
}
