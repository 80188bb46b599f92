using System.Diagnostics;
using Skiff.Engine.Containers;

namespace Skiff.Cli.Commands;

/// <summary>skiff exec [-d] [-i] [-t] [-e K=V] [-u USER] [-w DIR] [--privileged] CONTAINER COMMAND [ARG...]: runs
/// `&lt;runtime&gt; exec` with our own stdio (the runtime proxies a terminal with -t); the exit code is the process's, 126 when
/// it cannot be executed and 127 when it is not found, as docker.</summary>
public static class ExecCommand
{
    public static int Run(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, ["-d", "--detach", "-i", "--interactive", "-t", "--tty", "--privileged"],
            ["-e", "--env", "--env-file", "-u", "--user", "-w", "--workdir", "--detach-keys"], interspersed: false);
        if (c.Positionals.Count < 2) throw new UsageException("exec requires at least 2 arguments");
        var env = new List<string>();
        foreach (var e in c.Values("-e").Concat(c.Values("--env")))
        {
            if (e.Contains('=')) env.Add(e);
            else if (Environment.GetEnvironmentVariable(e) is { } v) env.Add($"{e}={v}");
        }
        using var plan = ctx.Engine.Containers.PrepareExec(c.Positionals[0], new ExecRequest
        {
            Command = c.Positionals.Skip(1).ToList(),
            Tty = c.Has("-t", "--tty"),
            Detach = c.Has("-d", "--detach"),
            Env = env,
            User = c.Value("-u", "--user"),
            WorkingDir = c.Value("-w", "--workdir"),
            Privileged = c.Has("--privileged"),
        });
        var psi = new ProcessStartInfo(plan.RuntimePath) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var a in plan.Arguments) psi.ArgumentList.Add(a);
        if (!c.Has("-i", "--interactive") && !c.Has("-t", "--tty")) psi.RedirectStandardInput = true;
        using var p = Process.Start(psi)!;
        if (psi.RedirectStandardInput) p.StandardInput.Close();
        var err = new System.Text.StringBuilder();
        // The runtime's own errors and the process's stderr share this pipe: pass everything through, remember it.
        var pump = new Thread(() =>
        {
            var buf = new char[4096];
            int n;
            while ((n = p.StandardError.Read(buf, 0, buf.Length)) > 0)
            {
                ctx.Err.Write(buf, 0, n);
                ctx.Err.Flush();
                lock (err) if (err.Length < 65536) err.Append(buf, 0, n);
            }
        }) { IsBackground = true };
        pump.Start();
        p.WaitForExit();
        pump.Join();
        int code = p.ExitCode;
        string text;
        lock (err) text = err.ToString();
        if (code != 0 && text.StartsWith("oar:", StringComparison.Ordinal) || text.Contains("exec failed") || text.Contains("runc") && code == 255)
        {
            if (text.Contains("ENOENT") || text.Contains("no such file") || text.Contains("not found")) return 127;
            if (text.Contains("EACCES") || text.Contains("permission denied") || text.Contains("ENOEXEC")) return 126;
        }
        return code;
    }
}
