using Skiff.Linux;
using Skiff.Shim.Protocol;

namespace Skiff.Shim;

/// <summary>
/// skiff-shim: one small process per container. The engine runs <c>skiff-shim --detached &lt;shim.json&gt;</c> in a new
/// session with a pipe on fd 3 (one exec; the engine reaps it or leaves it to init when it exits). By hand,
/// <c>skiff-shim &lt;shim.json&gt;</c> first re-executes itself that way and exits, so the shim is nobody's child. The
/// supervising process reports <c>ok &lt;pid&gt;</c> or <c>error &lt;message&gt;</c> on fd 3. See docs/shim.md.
/// </summary>
public static class Program
{
    internal const string DetachedFlag = "--detached";

    public static int Main(string[] args)
    {
        if (args.Length == 1 && args[0] is not ("-h" or "--help")) return Detach.Relaunch(args[0]);
        if (args.Length == 2 && args[0] == DetachedFlag) return Supervise(args[1]);
        Handshake.Fail("usage: skiff-shim <shim.json> (with the handshake pipe on fd 3)");
        return 2;
    }

    static int Supervise(string configPath)
    {
        ShimConfig config;
        try
        {
            // Started directly by the engine (or by Detach): nothing the starter leaked may follow into the runtime.
            Host.CloseRange(Handshake.Fd + 1, cloexecOnly: true);
            Processes.Ignore(Processes.SIGPIPE);
            Processes.Prctl(Processes.PR_SET_CHILD_SUBREAPER, 1, what: "PR_SET_CHILD_SUBREAPER");
            Host.Chdir("/");
            config = ConfigFile.Read(configPath);
        }
        catch (Exception e)
        {
            Handshake.Fail(e.Message);
            return 1;
        }
        return new Supervisor(config).Run();
    }
}
