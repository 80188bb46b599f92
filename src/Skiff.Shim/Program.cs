using Skiff.Linux;
using Skiff.Shim.Protocol;

namespace Skiff.Shim;

/// <summary>
/// skiff-shim: one small process per container. <c>skiff-shim &lt;shim.json&gt;</c> with a pipe on fd 3: the
/// first process re-executes itself in a new session and exits (so the shim is nobody's child and the engine
/// reaps nothing later); the second supervises the container and reports <c>ok &lt;pid&gt;</c> or
/// <c>error &lt;message&gt;</c> on fd 3. See docs/shim.md.
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
