using System.Text;
using Skiff.Linux;

namespace Skiff.Shim;

/// <summary>The one line the shim owes its starter on fd 3: <c>ok &lt;containerPid&gt;</c> or
/// <c>error &lt;message&gt;</c> (single line), after which fd 3 is closed.</summary>
static class Handshake
{
    public const int Fd = 3;
    static bool done;

    public static void Ok(int containerPid) => Send($"ok {containerPid}\n");

    public static void Fail(string message) => Send("error " + message.ReplaceLineEndings(" ").Trim() + "\n");

    static void Send(string line)
    {
        if (done) return;
        done = true;
        try { Files.WriteAll(Fd, Encoding.UTF8.GetBytes(line)); } catch (LinuxException) { }
        Files.Close(Fd);
    }

    /// <summary>Closes fd 3 without a message (when it was never a pipe).</summary>
    public static void Close() { if (!done) { done = true; Files.Close(Fd); } }
}
