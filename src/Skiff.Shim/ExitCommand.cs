using Skiff.Linux;

namespace Skiff.Shim;

/// <summary>
/// The config's exit command (podman's conmon <c>--exit-command</c>): started once the container has exited for good
/// and the shim's final state is on disk, in its own session with stdio on /dev/null. The shim exits right after
/// and does not wait; the command is re-parented to the next subreaper or init. A command that cannot start is
/// dropped silently: the engine still finishes the container lazily, the next time a command sees it.
/// </summary>
static class ExitCommand
{
    public static void Spawn(IReadOnlyList<string> argv)
    {
        if (argv.Count == 0 || string.IsNullOrEmpty(argv[0])) return;
        try
        {
            using var devNull = Files.Open("/dev/null", Files.O_RDWR);
            Processes.Spawn(argv[0], argv, Environ.Current(),
                [(0, devNull.Value), (1, devNull.Value), (2, devNull.Value)], cwd: "/", newSession: true);
        }
        catch (LinuxException) { }
    }
}
