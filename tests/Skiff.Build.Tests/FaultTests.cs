using System.Diagnostics;
using Skiff.Build.Execution;
using Skiff.Build.Tests.Fixtures;

namespace Skiff.Build.Tests;

/// <summary>Failures and interruptions leave nothing behind (containers, mounts, active snapshots, cache records) and
/// the next build works.</summary>
public sealed class FaultTests : IClassFixture<BuildEnv>
{
    readonly BuildEnv env;
    public FaultTests(BuildEnv env) => this.env = env;

    void AssertClean()
    {
        var sn = env.Images.Snapshots.List();
        Assert.DoesNotContain(sn, s => s.Key.StartsWith("build-", StringComparison.Ordinal));
        var mounts = File.ReadAllText("/proc/self/mountinfo");
        Assert.DoesNotContain(Path.Combine(env.Root, "build-cache", "runs"), mounts);
        var oarRoot = Path.Combine(env.Root, "build-cache", "oar");
        Assert.True(!Directory.Exists(oarRoot) || !Directory.EnumerateFileSystemEntries(oarRoot).Any(), "oar state left behind");
        var runs = Path.Combine(env.Root, "build-cache", "runs");
        Assert.True(!Directory.Exists(runs) || !Directory.EnumerateFileSystemEntries(runs).Any(), "run directory left behind");
    }

    [Fact]
    public async Task FailingRunReportsExitCodeAndLastLines()
    {
        var df = $"FROM {Busybox.Name}\nRUN echo before\nRUN echo line-one; echo line-two >&2; exit 3\nRUN echo never\n";
        var e = await Assert.ThrowsAsync<BuildException>(() => env.Build(df));
        Assert.Contains("exit code: 3", e.Message);
        Assert.Contains("line-one", e.Message);
        Assert.Contains("line-two", e.Message);
        Assert.Contains("Dockerfile:3", e.Message);
        AssertClean();
        var (r, _) = await env.Build($"FROM {Busybox.Name}\nRUN echo before\nRUN echo fixed > /f\n");
        Assert.Equal("fixed\n", env.Run(r.Image, "/bin/cat", "/f").Output);
    }

    [Fact]
    public async Task CancelMidRunCleansUp()
    {
        using var cts = new CancellationTokenSource();
        var df = $"FROM {Busybox.Name}\nRUN echo {Guid.NewGuid():n}-started-$((40+2)); sleep 60\n";
        var task = env.Build(df, ct: cts.Token);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!env.Log.ToList().Any(l => l.Contains("-started-42")) && DateTime.UtcNow < deadline) await Task.Delay(100);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        AssertClean();
        var (r, p) = await env.Build($"FROM {Busybox.Name}\nRUN echo after > /a\n");
        Assert.Equal("after\n", env.Run(r.Image, "/bin/cat", "/a").Output);
    }

    [Fact]
    public async Task KilledBuildIsSweptByTheNextOne()
    {
        // a build process killed with SIGKILL mid-RUN: its container, mount and snapshot stay until the next build
        var skiff = Cli.SkiffProcess.Command();
        var ctx = env.Context(("f", "x\n"));
        File.WriteAllText(Path.Combine(ctx, "Dockerfile"), $"FROM {Busybox.Name}\nRUN echo killed-run-$((40+2)); sleep 120\n");
        var psi = new ProcessStartInfo(skiff[0]) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in skiff.Skip(1).Concat(["--root", env.Root, "build", "--progress", "plain", ctx])) psi.ArgumentList.Add(a);
        psi.Environment["OAR_BINARY"] = Environment.GetEnvironmentVariable("OAR_BINARY");
        using var p = Process.Start(psi)!;
        var seen = new TaskCompletionSource();
        p.ErrorDataReceived += (_, e) => { if (e.Data?.Contains("killed-run-42") == true) seen.TrySetResult(); };
        p.BeginErrorReadLine();
        await seen.Task.WaitAsync(TimeSpan.FromSeconds(120));
        p.Kill();
        p.WaitForExit();
        Assert.Contains(env.Images.Snapshots.List(), s => s.Key.StartsWith("build-", StringComparison.Ordinal));
        var (r, _) = await env.Build($"FROM {Busybox.Name}\nRUN echo after-kill > /a\n");
        Assert.Equal("after-kill\n", env.Run(r.Image, "/bin/cat", "/a").Output);
        AssertClean();
    }

    [Fact]
    public async Task SigintToTheCliExits130AndCleansUp()
    {
        var skiff = Cli.SkiffProcess.Command();
        var ctx = env.Context(("f", "x\n"));
        File.WriteAllText(Path.Combine(ctx, "Dockerfile"), $"FROM {Busybox.Name}\nRUN echo sigint-run-$((40+2)); sleep 120\n");
        var psi = new ProcessStartInfo(skiff[0]) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in skiff.Skip(1).Concat(["--root", env.Root, "build", "--progress", "plain", ctx])) psi.ArgumentList.Add(a);
        psi.Environment["OAR_BINARY"] = Environment.GetEnvironmentVariable("OAR_BINARY");
        using var p = Process.Start(psi)!;
        var seen = new TaskCompletionSource();
        p.ErrorDataReceived += (_, e) => { if (e.Data?.Contains("sigint-run-42") == true) seen.TrySetResult(); };
        p.BeginErrorReadLine();
        await seen.Task.WaitAsync(TimeSpan.FromSeconds(120));
        Linux.Processes.Signal(p.Id, Linux.Processes.SIGINT);
        bool exited = p.WaitForExit(120_000);
        if (!exited) { p.Kill(); p.WaitForExit(); }
        Assert.True(exited, "skiff build did not stop on SIGINT");
        Assert.Equal(130, p.ExitCode);
        AssertClean();
    }
}
