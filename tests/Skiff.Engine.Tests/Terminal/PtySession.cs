using System.Text;
using Skiff.Linux;

namespace Skiff.Engine.Tests.Terminal;

/// <summary>Runs the real skiff CLI with a pseudo-terminal as its stdin, stdout and stderr (as a person at a terminal
/// would), so tests can type into it and read what it shows.</summary>
public sealed class PtySession : IDisposable
{
    readonly Fd _master;
    readonly int _pid;
    readonly StringBuilder _seen = new();
    int? _exit;

    PtySession(Fd master, int pid) { _master = master; _pid = pid; }

    public static PtySession Start(EngineRoot e, params string[] args)
    {
        var (master, slavePath) = Terminals.OpenPty();
        try
        {
            Terminals.SetSize(master.Value, 24, 80);
            using var slave = Files.Open(slavePath, Files.O_RDWR | Files.O_NOCTTY);
            var dotnet = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "/usr/bin/dotnet";
            List<string> argv = ["dotnet", Path.Combine(AppContext.BaseDirectory, "skiff.dll"), "--root", e.DataRoot, "--run-root", e.RunRoot, .. args];
            var env = new List<string>();
            foreach (System.Collections.DictionaryEntry v in Environment.GetEnvironmentVariables())
                if (v.Key is string k && k is not ("OAR_BINARY" or "SKIFF_SHIM" or "TERM")) env.Add($"{k}={v.Value}");
            env.Add("OAR_BINARY=" + EngineRoot.Oar);
            env.Add("SKIFF_SHIM=" + EngineRoot.Shim);
            env.Add("TERM=xterm");
            int pid = Processes.Spawn(dotnet, argv, env, [(0, slave.Value), (1, slave.Value), (2, slave.Value)], newSession: true);
            return new PtySession(master, pid);
        }
        catch { master.Dispose(); throw; }
    }

    /// <summary>Everything the terminal showed so far.</summary>
    public string Seen { get { lock (_seen) return _seen.ToString(); } }

    /// <summary>Types <paramref name="text"/> (a carriage return is the Enter key in raw mode).</summary>
    public void Type(string text) => Files.WriteAll(_master.Value, Encoding.UTF8.GetBytes(text));

    public void Type(params byte[] keys) => Files.WriteAll(_master.Value, keys);

    /// <summary>Reads until the screen output (from <paramref name="from"/>) contains <paramref name="text"/>.</summary>
    public void Expect(string text, int from = 0, int seconds = 60)
    {
        if (!TryExpect(text, from, seconds * 1000)) throw new Xunit.Sdk.XunitException($"the terminal did not show \"{text}\" within {seconds} s; it showed:\n{Seen}");
    }

    /// <summary>Like <see cref="Expect"/>, false after <paramref name="milliseconds"/>.</summary>
    public bool TryExpect(string text, int from, int milliseconds)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(milliseconds);
        while (Seen.IndexOf(text, Math.Min(from, Seen.Length), StringComparison.Ordinal) < 0)
        {
            if (DateTime.UtcNow > deadline) return false;
            if (!Pump(100) && HasExited) throw new Xunit.Sdk.XunitException($"skiff exited ({_exit}) before the terminal showed \"{text}\"; it showed:\n{Seen}");
        }
        return true;
    }

    /// <summary>Reads what is there; false when nothing came (or the terminal is closed).</summary>
    bool Pump(int timeoutMs)
    {
        if (!Poll.Readable(_master.Value, timeoutMs)) { CheckExit(); return false; }
        var buf = new byte[4096];
        int n;
        try { n = Files.Read(_master.Value, buf); }
        catch (LinuxException) { n = 0; } // EIO: every slave fd is closed
        if (n <= 0) { CheckExit(); Thread.Sleep(20); return false; }
        var chunk = Encoding.UTF8.GetString(buf, 0, n);
        lock (_seen) _seen.Append(chunk);
        // Answer "where is the cursor?" (busybox's line editor asks after each prompt) as a terminal would.
        if (chunk.Contains("\u001b[6n", StringComparison.Ordinal)) Type("\u001b[1;1R");
        return true;
    }

    bool HasExited => _exit is not null;

    void CheckExit()
    {
        if (_exit is not null) return;
        if (Processes.TryWait(_pid, out int status, Processes.WNOHANG) == _pid) _exit = Processes.ExitCode(status);
    }

    /// <summary>Waits for skiff to exit (reading the terminal meanwhile) and returns its exit code.</summary>
    public int WaitExit(int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            Pump(100);
            CheckExit();
            if (_exit is { } code) { while (Pump(50)) { } return code; }
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"skiff did not exit within {seconds} s; the terminal showed:\n{Seen}");
        }
    }

    public void Dispose()
    {
        if (_exit is null)
        {
            Processes.Signal(_pid, Processes.SIGKILL);
            try { Processes.Wait(_pid, out _); } catch (LinuxException) { }
        }
        _master.Dispose();
    }
}
