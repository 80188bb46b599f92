using System.Diagnostics;

namespace Skiff.Engine.Tests;

/// <summary>Issue 5 §5: 100 containers started at once all succeed, and after `rm` nothing of them remains — no
/// container directory, snapshot, mount, cgroup, runtime state, network namespace, veth or shim process.</summary>
[Collection("Networking")]
public sealed class ParallelTests : IDisposable
{
    readonly EngineRoot _e = new();
    const string Bridge = "skp100";
    const string Net = "p100net";

    public void Dispose()
    {
        var left = _e.Run("ps", "-aq", "--no-trunc").Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (left.Length > 0) _e.Run(["rm", "-f", .. left]);
        _e.Run("network", "rm", Net);
        _e.Dispose();
    }

    /// <summary>The published NativeAOT skiff when scripts/build.sh made one (100 JIT starts at once would only test
    /// the machine's patience); the CLI built with the tests otherwise.</summary>
    Process Skiff(params string[] args)
    {
        var aot = Path.Combine(EngineRoot.RepoRoot, "out", "skiff", "skiff");
        if (!File.Exists(aot)) return _e.Start(args);
        var psi = new ProcessStartInfo(aot) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        psi.ArgumentList.Add("--root"); psi.ArgumentList.Add(_e.DataRoot);
        psi.ArgumentList.Add("--run-root"); psi.ArgumentList.Add(_e.RunRoot);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["OAR_BINARY"] = EngineRoot.Oar;
        psi.Environment["SKIFF_SHIM"] = EngineRoot.Shim;
        return Process.Start(psi)!;
    }

    static (int Exit, string Out, string Err) Finish(Process p)
    {
        p.StandardInput.Close();
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, o.Result.Trim(), e);
    }

    static string[] Links(string master)
    {
        var psi = new ProcessStartInfo("ip", ["-o", "link", "show", "master", master]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var text = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [Fact]
    public void HundredContainersStartedAtOnceAllRunAndLeaveNothingAfterRm()
    {
        _e.Ok("network", "create", "--subnet", "10.97.0.0/24", "-o", $"com.docker.network.bridge.name={Bridge}", Net);
        Assert.Empty(Links(Bridge));

        var starts = Enumerable.Range(0, 100)
            .Select(i => Skiff("run", "-d", "--name", $"par{i}", "--network", Net, EngineRoot.Image, "sleep", "600")).ToList();
        var results = starts.Select(Finish).ToList();
        var failures = results.Where(r => r.Exit != 0).Select(r => r.Err).ToList();
        Assert.True(failures.Count == 0, $"{failures.Count} of 100 runs failed, first: {failures.FirstOrDefault()}");
        var ids = results.Select(r => r.Out).ToList();
        Assert.Equal(100, ids.Distinct().Count());

        var running = _e.Ok("ps", "-q", "--no-trunc", "--filter", "status=running").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(100, running.Length);
        Assert.Equal(100, Links(Bridge).Length);
        var addresses = ids.Select(id => _e.Inspect(id).GetProperty("NetworkSettings").GetProperty("Networks").GetProperty(Net)
            .GetProperty("IPAddress").GetString()).ToList();
        Assert.Equal(100, addresses.Distinct().Count());

        // rm -f in four concurrent batches: removal must be as safe under contention as creation.
        var removes = ids.Chunk(25).Select(batch => Skiff(["rm", "-f", .. batch])).ToList();
        foreach (var r in removes.Select(Finish)) Assert.True(r.Exit == 0, r.Err);

        Assert.Empty(_e.Ok("ps", "-aq"));
        foreach (var id in ids) Assert.Empty(_e.Traces(id));
        Assert.Empty(Links(Bridge));
        var netns = Path.Combine(_e.RunRoot, "netns");
        Assert.True(!Directory.Exists(netns) || Directory.GetFiles(netns).Length == 0, "network namespaces left: " +
            (Directory.Exists(netns) ? string.Join(", ", Directory.GetFiles(netns)) : ""));
        var shims = Directory.GetDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)).Where(d =>
        {
            try { return File.ReadAllText(Path.Combine(d, "cmdline")).Contains(_e.DataRoot, StringComparison.Ordinal); }
            catch (IOException) { return false; }
        }).ToList();
        Assert.Empty(shims);
    }
}
