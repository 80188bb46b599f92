using System.Diagnostics;
using Skiff.Runtime.Seccomp;

namespace Skiff.Runtime.Tests.Seccomp;

/// <summary>Runs a command under a compiled filter through the SeccompProbe program (a separate process).</summary>
public static class Probe
{
    public const string Busybox = "/bin/busybox";

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}, stdout \"{Stdout.Trim()}\", stderr \"{Stderr.Trim()}\"";
    }

    public static Result Run(SeccompProgram program, params string[] command) => RunWith(program, null, command);

    public static Result RunWith(SeccompProgram program, string? listenerPath, params string[] command)
    {
        var filter = Path.Combine(Path.GetTempPath(), $"skiff-seccomp-{Guid.NewGuid():N}.bpf");
        File.WriteAllBytes(filter, program.Bytes.ToArray());
        try
        {
            var psi = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "SeccompProbe"))
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            psi.ArgumentList.Add(filter);
            psi.ArgumentList.Add($"0x{program.Flags:x}");
            if (listenerPath is not null) { psi.ArgumentList.Add("--listener"); psi.ArgumentList.Add(listenerPath); }
            foreach (var c in command) psi.ArgumentList.Add(c);
            return Start(psi);
        }
        finally { File.Delete(filter); }
    }

    public static Result Start(ProcessStartInfo psi)
    {
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{psi.FileName} {string.Join(' ', psi.ArgumentList)} did not finish");
        }
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }
}
