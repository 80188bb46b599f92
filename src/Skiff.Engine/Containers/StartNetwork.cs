namespace Skiff.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>The network namespace a starting container gets. host: none of its own; container:X: X's; none: a new one
    /// with only loopback; any other name: a sandbox connected to that network by the network service.</summary>
    (string? Path, bool Host) NetworkFor(ContainerRecord rec)
    {
        var mode = rec.HostConfig.NetworkMode;
        if (mode == "host") return (null, true);
        if (mode.StartsWith("container:", StringComparison.Ordinal))
        {
            var other = Get(mode[10..]);
            if (!other.State.Running || other.State.Pid <= 0)
                throw EngineException.Conflict($"cannot join network namespace of a non running container: container {other.ShortId} is not running");
            return ($"/proc/{other.State.Pid}/ns/net", false);
        }
        return (ConnectSandbox(rec), false);
    }
}
