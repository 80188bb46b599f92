namespace Skiff.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>Until the network service is wired in, every network but host/container: is a fresh namespace made by
    /// the runtime (loopback only).</summary>
    string? ConnectSandbox(ContainerRecord rec) { _ = rec; return null; }

    void TeardownNetwork(ContainerRecord rec) { _ = rec; }
}
