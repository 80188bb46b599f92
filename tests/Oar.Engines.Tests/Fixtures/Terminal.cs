using System.Diagnostics;
using System.Text;

namespace Oar.Engines.Tests.Fixtures;

/// <summary>
/// A command on a real pseudo-terminal, through util-linux `script` (so `docker run -it` sees a tty on its stdin):
/// wait for text on the screen, type a line, read what came back. Input is typed only after the expected
/// prompt appeared, never after a fixed delay.
/// </summary>
public sealed class Terminal : IDisposable
{
    readonly Process process;
    readonly StringBuilder screen = new();
    readonly Task reader;

    public Terminal(string commandLine, IDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo("script", ["-qec", commandLine, "/dev/null"])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        psi.Environment["TERM"] = "xterm";
        process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start script");
        reader = Task.Run(Read);
        _ = process.StandardError.ReadToEndAsync();
    }

    void Read()
    {
        var buf = new byte[4096];
        var stream = process.StandardOutput.BaseStream;
        int n;
        while ((n = stream.Read(buf)) > 0)
            lock (screen) { screen.Append(Encoding.UTF8.GetString(buf, 0, n)); Monitor.PulseAll(screen); }
        lock (screen) Monitor.PulseAll(screen);
    }

    public string Screen { get { lock (screen) return screen.ToString(); } }

    /// <summary>Waits until <paramref name="text"/> is on the screen; false if the command ended first or hung.</summary>
    public bool WaitFor(string text)
    {
        var deadline = DateTime.UtcNow + Command.HangGuard;
        lock (screen)
        {
            while (!screen.ToString().Contains(text))
            {
                if (reader.IsCompleted || DateTime.UtcNow > deadline) return false;
                Monitor.Wait(screen, TimeSpan.FromMilliseconds(200));
            }
            return true;
        }
    }

    public void Type(string line)
    {
        process.StandardInput.Write(line + "\r");
        process.StandardInput.Flush();
    }

    /// <summary>The command's exit code (`script -e` passes it on), or -1 if it hung.</summary>
    public int WaitForExit()
    {
        if (!process.WaitForExit(Command.HangGuard)) return -1;
        reader.Wait(Command.HangGuard);
        return process.ExitCode;
    }

    public void Dispose()
    {
        try { if (!process.HasExited) { process.Kill(entireProcessTree: true); process.WaitForExit(); } } catch (InvalidOperationException) { }
        process.Dispose();
    }
}
