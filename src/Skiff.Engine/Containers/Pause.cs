using Skiff.Engine.Runtimes;

namespace Skiff.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>docker pause: freezes every process of the container (the runtime's freezer).</summary>
    public ContainerRecord Pause(string nameOrId)
    {
        var id = Store.Resolve(nameOrId);
        using var lk = Store.Lock(id);
        var rec = Refresh(Store.Load(id), locked: true);
        if (!rec.State.Running || rec.State.Restarting) throw EngineException.Conflict($"Container {rec.Id} is not running");
        if (rec.State.Paused) throw EngineException.Conflict($"Container {rec.Id} is already paused");
        new OciRuntime(rec.Own.RuntimePath, rec.Own.RuntimeRoot).Pause(rec.Id);
        rec.State.Paused = true;
        rec.State.Status = "paused";
        Store.Save(rec);
        _engine.Events.Append("container", "pause", rec.Id, EventAttributes(rec));
        return rec;
    }

    public ContainerRecord Unpause(string nameOrId)
    {
        var id = Store.Resolve(nameOrId);
        using var lk = Store.Lock(id);
        var rec = Refresh(Store.Load(id), locked: true);
        if (!rec.State.Paused) throw EngineException.Conflict($"Container {rec.Id} is not paused");
        new OciRuntime(rec.Own.RuntimePath, rec.Own.RuntimeRoot).Resume(rec.Id);
        rec.State.Paused = false;
        rec.State.Status = "running";
        Store.Save(rec);
        _engine.Events.Append("container", "unpause", rec.Id, EventAttributes(rec));
        return rec;
    }

    /// <summary>docker restart: stop (with the timeout) then start.</summary>
    /// <summary>The container whose restart is stopping it (under its lock): <see cref="Finish"/> keeps it even with --rm.</summary>
    string? _restarting;

    public ContainerRecord Restart(string nameOrId, int? timeoutSeconds = null)
    {
        var id = Store.Resolve(nameOrId);
        using (var lk = Store.Lock(id))
        {
            var rec = Refresh(Store.Load(id), locked: true);
            // As docker: the stop half of a restart does not remove an --rm container.
            _restarting = id;
            try { if (rec.State.Running || rec.State.Paused) StopLocked(rec, timeoutSeconds ?? rec.Config.StopTimeout ?? 10, rec.Config.StopSignal); }
            finally { _restarting = null; }
            if (Store.TryLoad(id) is null) throw EngineException.NotFound($"No such container: {nameOrId}");
            StartLocked(rec);
            _engine.Events.Append("container", "restart", rec.Id, EventAttributes(rec));
            return rec;
        }
    }
}
