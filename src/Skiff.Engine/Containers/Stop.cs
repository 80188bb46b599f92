using Skiff.Engine.Runtimes;
using Skiff.Engine.Shims;
using Skiff.Linux;

namespace Skiff.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>docker stop: no more restarts (the shim is told first), the stop signal (StopSignal, else SIGTERM), then
    /// SIGKILL after <paramref name="timeoutSeconds"/> (null: StopTimeout, else 10; negative: wait for ever).</summary>
    public ContainerRecord Stop(string nameOrId, int? timeoutSeconds = null)
    {
        var id = Store.Resolve(nameOrId);
        using var lk = Store.Lock(id);
        var rec = Refresh(Store.Load(id), locked: true);
        if (!rec.State.Running && rec.State.Status != "paused") return rec;
        StopLocked(rec, timeoutSeconds ?? rec.Config.StopTimeout ?? 10, rec.Config.StopSignal);
        return rec;
    }

    void StopLocked(ContainerRecord rec, int timeout, string? signal)
    {
        var cfg = ShimConfigOf(rec);
        rec.Own.StoppedByUser = true;
        Store.Save(rec);
        if (cfg is not null) try { new ShimClient(cfg).Stop(); } catch (Exception) { }
        var runtime = new OciRuntime(rec.Own.RuntimePath, rec.Own.RuntimeRoot);
        int sig = Signals.Parse(string.IsNullOrEmpty(signal) ? "SIGTERM" : signal);
        bool paused = rec.State.Paused;
        if (!rec.State.Restarting)
        {
            try { runtime.Kill(rec.Id, sig); } catch (EngineException) { }
            if (paused) try { runtime.Resume(rec.Id); } catch (EngineException) { }
        }
        if (!WaitForExit(rec, timeout < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(timeout)))
        {
            try { runtime.Kill(rec.Id, Processes.SIGKILL, all: true); } catch (EngineException) { }
            WaitForExit(rec, TimeSpan.FromSeconds(30));
        }
        rec.State.Paused = false;
        var fresh = Refresh(rec, locked: true);
        if (fresh.State.Running) throw new EngineException(EngineErrorKind.System, $"cannot stop container {rec.ShortId}: it did not exit after SIGKILL");
        _engine.Events.Append("container", "stop", rec.Id, EventAttributes(rec));
    }

    /// <summary>Waits until the container's shim has ended (the shim outlives the container only by its own clean-up).</summary>
    bool WaitForExit(ContainerRecord rec, TimeSpan timeout)
    {
        var cfg = ShimConfigOf(rec);
        if (cfg is null) return true;
        var deadline = timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        var state = ShimFiles.ReadState(cfg.StatePath);
        if (state is null || !ShimFiles.IsAlive(state))
            return new OciRuntime(rec.Own.RuntimePath, rec.Own.RuntimeRoot).State(rec.Id) is not { Status: "running" or "paused" };
        Fd pidfd = Fd.None;
        try { pidfd = Processes.PidfdOpen(state.ShimPid); } catch (LinuxException) { }
        using (pidfd)
            while (true)
            {
                if (!ShimFiles.IsAlive(state)) return true;
                var left = deadline - Environment.TickCount64;
                if (left <= 0) return false;
                int slice = (int)Math.Min(left, 200);
                if (pidfd.IsValid) Poll.Readable(pidfd.Value, slice); else Thread.Sleep(Math.Min(slice, 20));
            }
    }
}
