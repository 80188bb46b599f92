using System.Diagnostics;
using System.Text;

namespace Oar.Engines.Tests.Fixtures;

public sealed record Result(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}

/// <summary>Runs a command to its end (stdin optional) and captures its output. The wait is bounded only so a hung
/// engine fails the test instead of the whole run; it is not a performance threshold.</summary>
public static class Command
{
    public static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(3);

    public static Result Run(string file, IEnumerable<string> args, byte[]? stdin = null, IDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo(file, args)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
        };
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (stdin is not null) p.StandardInput.BaseStream.Write(stdin);
        p.StandardInput.Close();
        if (!p.WaitForExit(HangGuard))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            return new Result(-1, stdout.Result, $"{file} {string.Join(' ', args)}: still running after {HangGuard}, killed\n" + stderr.Result);
        }
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }

    public static Result Run(string file, params string[] args) => Run(file, (IEnumerable<string>)args);

    /// <summary>Runs, and throws with the whole output unless it exits 0.</summary>
    public static string Check(string file, params string[] args)
    {
        var r = Run(file, args);
        if (r.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)}:\n{r}");
        return r.Stdout;
    }

    /// <summary>Polls until <paramref name="condition"/> holds (false if it never did within the hang guard).</summary>
    public static bool Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + HangGuard;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) return false;
            Thread.Sleep(100);
        }
        return true;
    }

    public static string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";
}
