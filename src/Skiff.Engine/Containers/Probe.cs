using Skiff.Engine.Runtimes;
using Skiff.Engine.Shims;
using Skiff.Shim.Protocol;

namespace Skiff.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>True while the container's shim lives (it may be running or about to restart the container). Reads
    /// only the shim's files: never changes or removes the container.</summary>
    public bool IsActive(string id)
    {
        var cfg = ShimConfigOf(id);
        if (cfg is null) return false;
        var st = ShimFiles.ReadState(cfg.StatePath);
        return st is not null && ShimFiles.IsAlive(st);
    }

    public ShimConfig? ShimConfigFor(string id) => ShimConfigOf(id);

    ShimConfig? ShimConfigOf(string id) => ShimFiles.ReadConfig(Path.Combine(Store.Dir(id), "shim.json"));

    /// <summary>Forwards a signal to a running container's init without the bookkeeping of kill (the foreground
    /// session's signal proxy).</summary>
    public void Signal(string id, string signal)
    {
        var rec = Store.Load(id);
        new OciRuntime(rec.Own.RuntimePath, rec.Own.RuntimeRoot).Kill(rec.Id, Signals.Parse(signal));
    }
}
