using Skiff.Engine.Runtimes;
using Skiff.Engine.Shims;
using Skiff.Linux;
using Skiff.Shim.Protocol;

namespace Skiff.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>Brings a record up to date with reality: the shim's files, whether the shim still lives, and — when the
    /// shim died without a final record — the runtime's own state. A container whose shim died but which still runs
    /// stays "running"; one that is gone becomes "exited" with code 255 and an Error saying the status was lost (the
    /// exit status died with the shim; docker reports 255 for a task that vanished). When the container has stopped
    /// for good, its runtime state, rootfs mount and network are released (and an --rm container removed) by whoever
    /// holds its lock; a reader that cannot take the lock only reports.</summary>
    internal ContainerRecord Refresh(ContainerRecord rec, bool locked)
    {
        if (rec.State.Status is "created" or "exited") AdoptUnrecordedStart(rec);
        if (rec.State.Status is not ("running" or "paused" or "restarting")) return rec;
        var cfg = ShimConfigOf(rec);
        if (cfg is null) return rec;
        var cond = ShimFiles.Probe(cfg);
        var state = ShimFiles.ReadState(cfg.StatePath);
        var exit = ShimFiles.ReadExit(cfg.ExitPath);
        var s = rec.State;
        switch (cond)
        {
            case ShimCondition.Running:
                s.Running = true; s.Restarting = false;
                s.Status = s.Paused ? "paused" : "running";
                if (state is not null)
                {
                    if (state.ContainerPid > 0) s.Pid = state.ContainerPid;
                    if (state.RestartCount != rec.RestartCount && state.StartedAt != default) s.StartedAt = Timestamps.Format(Utc(state.StartedAt));
                    rec.RestartCount = state.RestartCount;
                }
                return rec;
            case ShimCondition.Restarting:
                s.Running = true; s.Restarting = true; s.Paused = false; s.Status = "restarting"; s.Pid = 0;
                if (exit is not null) { s.ExitCode = exit.ExitCode; s.FinishedAt = Timestamps.Format(Utc(exit.FinishedAt)); s.OOMKilled = exit.OomKilled; }
                if (state is not null) rec.RestartCount = state.RestartCount;
                return rec;
            case ShimCondition.ShimLostContainerRunning:
                var rs = new OciRuntime(rec.Own.RuntimePath, rec.Own.RuntimeRoot).State(rec.Id);
                s.Running = true; s.Restarting = false;
                s.Status = rs?.Status == "paused" ? "paused" : "running";
                s.Paused = s.Status == "paused";
                if (rs is { Pid: > 0 } r) s.Pid = r.Pid;
                return rec;
        }
        // Stopped for good.
        var started = Timestamps.Parse(s.StartedAt) ?? DateTimeOffset.MinValue;
        if (exit is not null && Utc(exit.FinishedAt) >= started.AddSeconds(-1))
        {
            s.ExitCode = exit.ExitCode;
            s.FinishedAt = Timestamps.Format(Utc(exit.FinishedAt));
            s.OOMKilled = exit.OomKilled;
            s.Error = exit.Error;
            rec.RestartCount = exit.RestartCount;
        }
        else
        {
            s.ExitCode = 255;
            s.FinishedAt = Timestamps.Now();
            s.Error = "the container's shim died; its exit status was lost";
        }
        s.Status = "exited"; s.Running = false; s.Paused = false; s.Restarting = false; s.Pid = 0;
        if (!locked)
        {
            var fd = Locks.TryTake(Path.Combine(Store.Dir(rec.Id), ".lock"), exclusive: true);
            if (!fd.IsValid) return rec;
            using (fd)
            {
                var fresh = Store.TryLoad(rec.Id);
                if (fresh is null || fresh.State.Status is not ("running" or "paused" or "restarting")) return fresh ?? rec;
                Finish(rec);
                return rec;
            }
        }
        Finish(rec);
        return rec;
    }

    /// <summary>Releases what a stopped container holds, records it, and removes an --rm container.</summary>
    void Finish(ContainerRecord rec)
    {
        var runtime = new OciRuntime(rec.Own.RuntimePath, rec.Own.RuntimeRoot);
        runtime.DeleteIfPresent(rec.Id);
        UnmountRootfs(rec);
        try { TeardownNetwork(rec); } catch { }
        var sockDir = Path.Combine(Roots.RunRoot, "shims", rec.Id[..12]);
        if (Directory.Exists(sockDir)) try { Directory.Delete(sockDir, true); } catch (IOException) { }
        Store.Save(rec);
        _engine.Events.Append("container", "die", rec.Id, new Dictionary<string, string>(EventAttributes(rec)) { ["exitCode"] = rec.State.ExitCode.ToString() });
        // An --rm container goes now, unless a foreground session claimed its removal (it removes it itself).
        if (rec.HostConfig.AutoRemove && rec.State.Status == "exited" && rec.Id != _restarting && !RemovalClaimed(rec.Id)) RemoveLocked(rec, removeVolumes: true);
    }

    /// <summary>A start whose command died between the shim's handshake and saving the record (e.g. a killed
    /// foreground <c>run</c>) leaves the record "created" or "exited" while a shim runs the container: a shim state
    /// newer than the record's last start means exactly that. The record is brought to "running" here (in memory; the
    /// caller's normal refresh then records the true state), so the container is supervised, listed and cleaned up
    /// like any other.</summary>
    void AdoptUnrecordedStart(ContainerRecord rec)
    {
        var cfg = ShimConfigOf(rec);
        if (cfg is null || ShimFiles.ReadState(cfg.StatePath) is not { StartedAt: var started } state || started == default) return;
        var last = Timestamps.Parse(rec.State.StartedAt);
        if (last is { } l && Utc(started) <= l) return;
        rec.State.Status = "running"; rec.State.Running = true; rec.State.Pid = state.ContainerPid;
        rec.State.StartedAt = Timestamps.Format(Utc(started));
        rec.State.Error = "";
        rec.Own.ShimPid = state.ShimPid;
        rec.Own.RootfsMounted = true;
    }

    static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));
}
