using System.Diagnostics;
using System.Text;

namespace Oar.Tests.Fixtures;

public sealed record Result(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}

/// <summary>
/// Drives an OCI runtime binary (oar, or runc/crun for comparison) with its own --root, so tests never see
/// each other's containers. Dispose force-deletes whatever is left and checks nothing remains.
/// </summary>
public sealed class Runtime : IDisposable
{
    public string Binary { get; }
    public string Root { get; }
    readonly HashSet<string> ids = new();

    public Runtime(string? binary = null)
    {
        Binary = binary ?? OarBinary.Path;
        Root = Directory.CreateTempSubdirectory($"{System.IO.Path.GetFileName(Binary)}-test-root-").FullName;
    }

    public static Runtime Oar() => new();
    public static Runtime? Peer(string name)
    {
        foreach (var dir in new[] { "/usr/sbin", "/usr/bin", "/usr/local/bin", "/usr/local/sbin" })
            if (File.Exists(System.IO.Path.Combine(dir, name))) return new Runtime(System.IO.Path.Combine(dir, name));
        return null;
    }

    public string NewId(string prefix = "t")
    {
        var id = $"{prefix}-{Guid.NewGuid().ToString("N")[..10]}";
        ids.Add(id);
        return id;
    }

    /// <summary>Runs the runtime with global flags (--root) then <paramref name="args"/>.</summary>
    public Result Exec(params string[] args) => Exec(null, TimeSpan.FromSeconds(60), args);

    public Result Exec(string? stdin, TimeSpan timeout, params string[] args)
    {
        var psi = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        psi.ArgumentList.Add("--root");
        psi.ArgumentList.Add(Root);
        foreach (var a in args) psi.ArgumentList.Add(a);
        return RunProcess(psi, stdin, timeout);
    }

    /// <summary>Runs a process to its exit. Output is read until the process exits plus a short grace period,
    /// not until end-of-file: a created container inherits oar's stdout/stderr and keeps the pipes open.</summary>
    public static Result RunProcess(ProcessStartInfo psi, string? stdin, TimeSpan timeout)
    {
        using var p = Process.Start(psi)!;
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var readers = new[] { Pump(p.StandardOutput, stdout), Pump(p.StandardError, stderr) };
        if (stdin is not null) p.StandardInput.Write(stdin);
        p.StandardInput.Close();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit(5000);
            throw new TimeoutException($"{psi.FileName} {string.Join(' ', psi.ArgumentList)} did not finish in {timeout}");
        }
        foreach (var t in readers) t.Join(TimeSpan.FromSeconds(2));
        lock (stdout) lock (stderr) return new Result(p.ExitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>A dedicated thread per stream: the thread pool may be starved by parallel tests.</summary>
    static Thread Pump(StreamReader reader, StringBuilder into)
    {
        var t = new Thread(() =>
        {
            var buf = new char[4096];
            int n;
            try { while ((n = reader.Read(buf)) > 0) lock (into) into.Append(buf, 0, n); }
            catch (IOException) { }
            catch (ObjectDisposedException) { }
        }) { IsBackground = true };
        t.Start();
        return t;
    }

    /// <summary>`run` of a bundle in the foreground; returns the container's exit code and output.</summary>
    public Result Run(Bundle bundle, string? id = null, params string[] extra)
    {
        bundle.Write();
        id ??= NewId();
        ids.Add(id);
        return Exec([.. new[] { "run", "--bundle", bundle.Dir }, .. extra, id]);
    }

    public Result Create(Bundle bundle, string id, params string[] extra)
    {
        bundle.Write();
        ids.Add(id);
        return Exec([.. new[] { "create", "--bundle", bundle.Dir }, .. extra, id]);
    }

    public string StatusOf(string id)
    {
        var r = Exec("state", id);
        if (r.ExitCode != 0) return "absent";
        var doc = System.Text.Json.JsonDocument.Parse(r.Stdout);
        return doc.RootElement.GetProperty("status").GetString()!;
    }

    public int PidOf(string id)
    {
        var r = Exec("state", id);
        return System.Text.Json.JsonDocument.Parse(r.Stdout).RootElement.GetProperty("pid").GetInt32();
    }

    public void Dispose()
    {
        foreach (var id in ids)
        {
            try { Exec("delete", "--force", id); } catch (Exception) { }
            Leftovers.RemoveCgroups(id);
        }
        try { Directory.Delete(Root, true); } catch (IOException) { }
    }
}
