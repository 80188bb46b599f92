using Skiff.Engine.Runtimes;
using Skiff.Engine.Shims;

namespace Skiff.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>docker kill: a signal (default SIGKILL) to the container's init. SIGKILL and SIGTERM count as a stop by
    /// the user: the restart policy does not bring the container back.</summary>
    public ContainerRecord Kill(string nameOrId, string? signal = null)
    {
        int sig = Signals.Parse(string.IsNullOrEmpty(signal) ? "SIGKILL" : signal);
        var id = Store.Resolve(nameOrId);
        using var lk = Store.Lock(id);
        var rec = Refresh(Store.Load(id), locked: true);
        if (!rec.State.Running || rec.State.Restarting)
            throw EngineException.Conflict($"cannot kill container: {nameOrId}: container {rec.Id} is not running");
        if (sig is 9 or 15)
        {
            rec.Own.StoppedByUser = true;
            Store.Save(rec);
            if (ShimConfigOf(rec) is { } cfg) try { new ShimClient(cfg).Stop(); } catch (Exception) { }
        }
        new OciRuntime(rec.Own.RuntimePath, rec.Own.RuntimeRoot).Kill(rec.Id, sig);
        _engine.Events.Append("container", "kill", rec.Id, new Dictionary<string, string>(EventAttributes(rec)) { ["signal"] = sig.ToString() });
        if (sig == 9)
        {
            WaitForExit(rec, TimeSpan.FromSeconds(10));
            rec = Refresh(rec, locked: true);
        }
        return rec;
    }
}
