using System.Diagnostics;
using Skiff.Linux;

namespace Skiff.Runtime.Tests.Cgroups;

/// <summary>
/// A child process for the cgroup tests: /bin/sh running a script, with pipes on stdin/stdout/stderr so the test can
/// step it ("read x" waits for <see cref="Step"/>) and read what it printed. Dispose kills it by pid (SIGKILL) and reaps it.
/// </summary>
public sealed class TestProcess : IDisposable
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(120); // a safety net against hangs, never an assertion

    readonly Process process;
    readonly List<string> stderr = new();

    TestProcess(Process process)
    {
        this.process = process;
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.Add(e.Data); };
        process.BeginErrorReadLine();
        CgroupCleanup.Started(process.Id);
    }

    public int Pid => process.Id;

    public static TestProcess Shell(string script) => Start("/bin/sh", "-c", script);

    public static TestProcess Sleep() => Start("/bin/sleep", "100000");

    static TestProcess Start(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        return new TestProcess(Process.Start(psi)!);
    }

    /// <summary>Lets the script pass its next "read".</summary>
    public void Step()
    {
        process.StandardInput.WriteLine();
        process.StandardInput.Flush();
    }

    /// <summary>The next line on stdout (null at end of output).</summary>
    public string? ReadLine()
    {
        var line = process.StandardOutput.ReadLineAsync();
        if (!line.Wait(Patience)) throw new TimeoutException("the test process printed nothing");
        return line.Result;
    }

    public string Stderr { get { lock (stderr) return string.Join('\n', stderr); } }

    /// <summary>Waits for exit; returns the shell convention code (128+signal when killed).</summary>
    public int WaitForExit()
    {
        if (!process.WaitForExit(Patience)) throw new TimeoutException($"pid {Pid} did not exit");
        process.WaitForExit();
        return process.ExitCode;
    }

    public bool HasExited => process.HasExited;

    /// <summary>The kernel's wait channel of the process (e.g. "hrtimer_nanosleep", "__refrigerator").</summary>
    public string WaitChannel => File.ReadAllText($"/proc/{Pid}/wchan").Trim();

    /// <summary>The State line of /proc/pid/status, e.g. "S (sleeping)".</summary>
    public string State => File.ReadLines($"/proc/{Pid}/status").First(l => l.StartsWith("State:")).Substring(6).Trim();

    /// <summary>Polls until <paramref name="condition"/> holds (bounded by the safety net).</summary>
    public static void Until(Func<bool> condition, string what)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.Elapsed > Patience) throw new TimeoutException($"gave up waiting for: {what}");
            Thread.Sleep(5);
        }
    }

    bool disposed;

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        if (!process.HasExited) Processes.Signal(process.Id, Processes.SIGKILL);
        process.WaitForExit(Patience); // a task left frozen dies only when thawed: the collection fixture does that
        process.Dispose();
    }
}
