using System.Text;
using Skiff.Linux;

namespace Skiff.Shim;

/// <summary>
/// One run's stdio. Without a terminal: three pipes (stdin only with OpenStdin, else /dev/null); the container
/// gets the child ends through the runtime's own fds 0–2, the shim keeps the other ends, non-blocking. With a
/// terminal: the pty master the runtime sent over the console socket carries both directions.
/// </summary>
sealed class ContainerStdio : IDisposable
{
    public Fd StdinWrite = Fd.None, StdoutRead = Fd.None, StderrRead = Fd.None, Master = Fd.None;
    Fd childStdin = Fd.None, childStdout = Fd.None, childStderr = Fd.None;

    public int ChildStdin => childStdin.Value;
    public int ChildStdout => childStdout.Value;
    public int ChildStderr => childStderr.Value;
    public bool Terminal => Master.IsValid;

    /// <summary>Pipes for a non-terminal container.</summary>
    public static ContainerStdio Pipes(bool openStdin)
    {
        var s = new ContainerStdio();
        try
        {
            if (openStdin) (s.childStdin, s.StdinWrite) = Pipe.Create();
            else s.childStdin = Files.Open("/dev/null", Files.O_RDONLY);
            (s.StdoutRead, s.childStdout) = Pipe.Create();
            (s.StderrRead, s.childStderr) = Pipe.Create();
            foreach (var fd in new[] { s.StdinWrite, s.StdoutRead, s.StderrRead }) if (fd.IsValid) Files.SetNonBlocking(fd.Value, true);
            return s;
        }
        catch { s.Dispose(); throw; }
    }

    /// <summary>A terminal container's stdio: the received pty master (ownership moves here).</summary>
    public static ContainerStdio Pty(ref Fd master)
    {
        var s = new ContainerStdio { Master = new Fd(master.Release()) };
        Files.SetNonBlocking(s.Master.Value, true);
        return s;
    }

    /// <summary>After <c>create</c> the container holds its ends; the shim must not, or it never sees EOF.</summary>
    public void CloseChildEnds()
    {
        childStdin.Dispose(); childStdout.Dispose(); childStderr.Dispose();
    }

    /// <summary>The fd the shim writes container input to (pipe or pty master), or -1.</summary>
    public int InputFd => Master.IsValid ? Master.Value : StdinWrite.Value;

    public void CloseStdin()
    {
        if (Master.IsValid) return; // a pty has no separate stdin; EOF is the terminal's ^D
        StdinWrite.Dispose();
    }

    /// <summary>Whatever the runtime wrote to the container's stderr pipe (its error text when create fails).</summary>
    public unsafe string DrainStderr()
    {
        if (!StderrRead.IsValid) return "";
        var sb = new StringBuilder();
        byte* buf = stackalloc byte[4096];
        int n;
        while (sb.Length < 65536 && (n = Files.ReadSome(StderrRead.Value, buf, 4096)) > 0) sb.Append(Encoding.UTF8.GetString(buf, n));
        return sb.ToString().Trim();
    }

    public void Dispose()
    {
        CloseChildEnds();
        StdinWrite.Dispose(); StdoutRead.Dispose(); StderrRead.Dispose(); Master.Dispose();
    }
}
