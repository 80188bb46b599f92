using Skiff.Linux;

namespace Skiff.Shim;

/// <summary>
/// Stage one: start the real shim as <c>/proc/self/exe --detached &lt;config&gt;</c> in a new session with stdio on
/// /dev/null and the handshake pipe kept on fd 3, then exit at once. The engine waits for this process only;
/// the detached shim is re-parented to init (or the nearest subreaper) and outlives the engine.
/// </summary>
static class Detach
{
    static bool HandshakeOpen()
    {
        try { Files.Fcntl(Handshake.Fd, Files.F_GETFD, 0); return true; }
        catch (LinuxException) { return false; }
    }

    public static int Relaunch(string configPath)
    {
        try
        {
            // Nothing the starter leaked (fds without O_CLOEXEC) may follow the shim into its long life.
            Host.CloseRange(Handshake.Fd + 1, cloexecOnly: true);
            using var devNull = Files.Open("/dev/null", Files.O_RDWR);
            int handshake = HandshakeOpen() ? Handshake.Fd : devNull.Value; // run by hand without fd 3: report nowhere
            Processes.Spawn("/proc/self/exe", ["skiff-shim", Program.DetachedFlag, Path.GetFullPath(configPath)], Environ.Current(),
                [(0, devNull.Value), (1, devNull.Value), (2, devNull.Value), (Handshake.Fd, handshake)], cwd: "/", newSession: true);
            return 0;
        }
        catch (Exception e)
        {
            Handshake.Fail("starting the detached shim: " + e.Message);
            return 1;
        }
    }
}
