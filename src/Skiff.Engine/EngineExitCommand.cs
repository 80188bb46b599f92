namespace Skiff.Engine;

public sealed partial class Engine
{
    /// <summary>How a container's shim calls this engine back once an --rm container has exited for good: the argv of
    /// <c>skiff [global flags] container cleanup --rm</c>, to which the container's ID is appended (podman's exit
    /// command). The CLI sets it to itself with this engine's roots. Null: no call-back; such a container is then
    /// removed by the next command that sees it exited.</summary>
    public IReadOnlyList<string>? ExitCommand { get; set; }
}
