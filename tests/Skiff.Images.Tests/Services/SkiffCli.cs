using System.Diagnostics;

namespace Skiff.Images.Tests.Services;

/// <summary>Runs the real `skiff` CLI (the skiff.dll next to the tests) as a child process.</summary>
public static class SkiffCli
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "skiff.dll");

    public sealed record Result(int Exit, string Out, string Err);

    public static Process Start(string root, IDictionary<string, string>? env, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        psi.ArgumentList.Add(Dll);
        psi.ArgumentList.Add("--root");
        psi.ArgumentList.Add(root);
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (env is not null) foreach (var (k, v) in env) psi.Environment[k] = v;
        return Process.Start(psi)!;
    }

    public static Result Run(string root, IDictionary<string, string>? env, params string[] args)
    {
        using var p = Start(root, env, args);
        p.StandardInput.Close();
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return new Result(p.ExitCode, o.Result, e);
    }

    public static Result Run(string root, params string[] args) => Run(root, null, args);

    public static string Ok(string root, params string[] args)
    {
        var r = Run(root, args);
        if (r.Exit != 0) throw new Xunit.Sdk.XunitException($"skiff {string.Join(' ', args)} failed ({r.Exit}): {r.Err}{r.Out}");
        return r.Out;
    }
}
