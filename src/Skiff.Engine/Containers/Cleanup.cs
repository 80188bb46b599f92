using Skiff.Engine.Shims;
using Skiff.Shim.Protocol;

namespace Skiff.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>podman's <c>container cleanup [--rm]</c>: what a container's shim runs (its exit command) once the
    /// container has exited for good. Waits for the shim to be gone (it starts this as its last act), then for a
    /// foreground session's removal claim (<see cref="ClaimRemoval"/>) to be released, then — under the container's
    /// lock like every operation — releases what the stopped container holds (runtime state, rootfs mount, network;
    /// docker's <c>die</c> event) and, with <paramref name="remove"/> and an --rm container, removes it (snapshot,
    /// directory, anonymous volumes; <c>destroy</c>). A container that is gone already, or was started again, is left
    /// alone.</summary>
    public void Cleanup(string id, bool remove)
    {
        if (Store.TryLoad(id) is not { } rec) return;
        // Only the shim that called us (its final state says exited); a restart may have started a new one meanwhile.
        if (ShimConfigOf(rec) is { } cfg && ShimFiles.ReadState(cfg.StatePath) is { Status: ShimStatus.Exited })
            WaitForExit(rec, TimeSpan.FromSeconds(30));
        if (!AwaitRemovalClaim(id)) return;
        Linux.Fd lk;
        try { lk = Store.Lock(id); }
        catch (EngineException e) when (e.Kind == EngineErrorKind.NotFound) { return; }
        using (lk)
        {
            if (Store.TryLoad(id) is not { } cur) return;
            cur = Refresh(cur, locked: true); // a stopped --rm container is removed here already
            if (!remove || Store.TryLoad(id) is null) return;
            if (cur.HostConfig.AutoRemove && cur.State.Status == "exited") RemoveLocked(cur, removeVolumes: true);
        }
    }
}
