using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Oar.Engines.Tests.Fixtures;

/// <summary>A daemon this test started in the background (no systemd here), its output in a log file; stopped
/// by its pid with SIGTERM, then SIGKILL if it does not go.</summary>
public sealed partial class Daemon : IDisposable
{
    readonly Process process;
    public string Name { get; }
    public string LogFile { get; }
    public int Pid => process.Id;

    public Daemon(string name, string logFile, string file, params string[] args)
    {
        Name = name;
        LogFile = logFile;
        var line = string.Join(' ', new[] { file }.Concat(args).Select(Command.Quote));
        // exec: the pid we hold is the daemon's own.
        var psi = new ProcessStartInfo("/bin/sh", ["-c", $"exec {line} >>{Command.Quote(logFile)} 2>&1"]) { RedirectStandardInput = true };
        process = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {name}");
    }

    public string Log => File.Exists(LogFile) ? string.Join('\n', File.ReadLines(LogFile).TakeLast(40)) : "(no log)";

    /// <summary>Polls <paramref name="ready"/> until it holds; throws with the daemon's log if it exits or hangs.</summary>
    public void WaitUntil(Func<bool> ready, string what)
    {
        var deadline = DateTime.UtcNow + Command.HangGuard;
        while (!ready())
        {
            if (process.HasExited) throw new InvalidOperationException($"{Name} exited ({process.ExitCode}) before {what}; its log:\n{Log}");
            if (DateTime.UtcNow > deadline) throw new InvalidOperationException($"{Name} was not {what} after {Command.HangGuard}; its log:\n{Log}");
            Thread.Sleep(100);
        }
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            Kill(process.Id, 15);
            if (!process.WaitForExit(TimeSpan.FromSeconds(60))) { process.Kill(); process.WaitForExit(); }
        }
        process.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
