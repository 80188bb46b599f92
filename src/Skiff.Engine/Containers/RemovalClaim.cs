using Skiff.Linux;

namespace Skiff.Engine.Containers;

public sealed partial class ContainerService
{
    string RemovalClaimPath(string id) => Path.Combine(Store.Dir(id), ".removal");

    /// <summary>A foreground <c>run --rm</c> (or <c>start -a</c> of an --rm container) claims the container's removal
    /// before it starts it and keeps the claim until it has shown the output, read the exit code and removed the
    /// container itself. While the claim is held neither the shim's exit command (<see cref="Cleanup"/>) nor a lazy
    /// refresh removes the container, so there is exactly one remover and nothing the session still reads vanishes
    /// under it. A flock (shared): a session that dies releases it, and the shim's clean-up then removes the container.
    /// Dispose the returned fd to release the claim.</summary>
    public Fd ClaimRemoval(string id) => Locks.Take(RemovalClaimPath(id), exclusive: false);

    /// <summary>True while some session holds the removal claim (this process's own claim counts: flock locks
    /// conflict between open files, not processes).</summary>
    bool RemovalClaimed(string id)
    {
        Fd fd;
        try { fd = Locks.TryTake(RemovalClaimPath(id), exclusive: true, create: false); }
        catch (LinuxException) { return false; } // no claim file: never claimed
        if (!fd.IsValid) return true;
        fd.Dispose();
        return false;
    }

    /// <summary>Blocks until no session holds the removal claim. False when the container's directory is gone.</summary>
    bool AwaitRemovalClaim(string id)
    {
        try { Locks.Take(RemovalClaimPath(id), exclusive: true, create: false).Dispose(); return true; }
        catch (LinuxException e) when (e.Errno == Errno.ENOENT) { return Directory.Exists(Store.Dir(id)); }
    }
}
