using Skiff.Linux;

namespace Skiff.Engine.Shims;

/// <summary>
/// Shims this process started and has not reaped. The engine starts each shim directly (in its own session) instead
/// of through a relaunching first process: the CLI exits soon after and its shims are re-parented to init; a
/// long-lived host of the engine (`skiff serve`, a test host) reaps the ones that have exited whenever it starts
/// another, so none stays a zombie for long.
/// </summary>
static class ShimChildren
{
    static readonly List<int> pids = [];
    static readonly Lock gate = new();

    public static void Track(int pid)
    {
        lock (gate) pids.Add(pid);
    }

    public static void ReapExited()
    {
        lock (gate)
            pids.RemoveAll(pid =>
            {
                try { return Processes.Wait(pid, out _, Processes.WNOHANG) != 0; }
                catch (LinuxException) { return true; } // ECHILD: not ours any more
            });
    }
}
