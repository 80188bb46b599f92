using System.Runtime.InteropServices;
using Skiff.Linux;

namespace Oar.Cli;

/// <summary>Foreground `run`/`exec` with a terminal and no --console-socket: oar keeps the pty master itself,
/// puts its own terminal in raw mode and copies bytes both ways, resizing on SIGWINCH (as runc does).</summary>
public sealed class TerminalProxy : IDisposable
{
    readonly Fd ours;
    Fd theirs;
    Fd master = Fd.None;
    byte[]? savedTermios;
    PosixSignalRegistration? winch;

    public TerminalProxy()
    {
        (ours, theirs) = Sockets.Pair(Sockets.SOCK_STREAM);
    }

    /// <summary>The end to hand to the container's init as its console socket.</summary>
    public int ContainerEnd => theirs.Value;

    /// <summary>Receives the master (sent before create/exec returned) and starts copying.</summary>
    public void Start()
    {
        theirs.Dispose();
        Span<byte> name = stackalloc byte[256];
        Sockets.ReceiveFd(ours.Value, name, out master);
        if (!master.IsValid) throw new Skiff.Runtime.RuntimeException("terminal", "the container did not send its terminal");
        if (Terminals.IsTerminal(0))
        {
            savedTermios = Terminals.MakeRaw(0);
            Resize();
            winch = PosixSignalRegistration.Create(PosixSignal.SIGWINCH, c => { c.Cancel = true; Resize(); });
        }
        int m = master.Value;
        new Thread(() => Copy(0, m, closeTarget: false)) { IsBackground = true }.Start();
        new Thread(() => Copy(m, 1, closeTarget: false)) { IsBackground = true, Name = "pty-out" }.Start();
    }

    void Resize()
    {
        if (Terminals.GetSize(0) is { } s && master.IsValid) Terminals.SetSize(master.Value, s.Rows, s.Cols);
    }

    static void Copy(int from, int to, bool closeTarget)
    {
        var buf = new byte[32 * 1024];
        try
        {
            while (true)
            {
                int n = Files.Read(from, buf);
                if (n <= 0) break;
                Files.WriteAll(to, buf.AsSpan(0, n));
            }
        }
        catch (LinuxException) { /* EIO once the container side of the pty is gone */ }
        if (closeTarget) Files.Close(to);
    }

    /// <summary>Gives the output thread a moment to drain what the process wrote before it exited.</summary>
    public void Drain()
    {
        for (int i = 0; i < 50 && Poll.Readable(master.Value, 0); i++) Thread.Sleep(2);
    }

    public void Dispose()
    {
        winch?.Dispose();
        if (savedTermios is not null) Terminals.Restore(0, savedTermios);
        theirs.Dispose();
        ours.Dispose();
    }
}
