using System.Diagnostics;
using System.Text.Json;
using Skiff.Engine.Shims;
using Skiff.Linux;
using Skiff.Runtime.Spec;
using Skiff.Shim.Protocol;

namespace Skiff.Engine.Tests.Shims;

/// <summary>
/// One container under a real skiff-shim: a temp directory holding the bundle (busybox rootfs, `oar spec`
/// defaults), the shim's files and the runtime's --root. Dispose kills whatever still runs (container, shim),
/// force-deletes the runtime state and removes the directory.
/// </summary>
public sealed class ShimContainer : IDisposable
{
    public string Dir { get; }
    public string Id { get; }
    public RuntimeSpec Spec { get; }
    public ShimConfig Config { get; }
    public ShimStarted? Started { get; private set; }

    public ShimContainer(string runtime, params string[] args)
    {
        Id = "shim-" + Guid.NewGuid().ToString("N")[..12];
        Dir = Directory.CreateTempSubdirectory("shim-test-").FullName;
        Directory.CreateDirectory(Path.Combine(Dir, "bundle"));
        Spec = DefaultSpec.Create(rootless: false);
        Spec.Process!.Terminal = false;
        Spec.Process.Args = [.. args];
        Spec.Root!.Path = BusyboxRootfs.Path;
        Spec.Root.Readonly = true;
        if (runtime == "crun") Spec.OciVersion = "1.0.2"; // Debian 12's crun refuses newer spec versions
        Config = new ShimConfig
        {
            Id = Id,
            BundlePath = Path.Combine(Dir, "bundle"),
            RuntimePath = Binaries.Runtime(runtime),
            RuntimeRoot = Path.Combine(Dir, "runtime-root"),
            LogPath = Path.Combine(Dir, Id + "-json.log"),
            AttachSocketPath = Path.Combine(Dir, "attach.sock"),
            ControlSocketPath = Path.Combine(Dir, "control.sock"),
            ExitPath = Path.Combine(Dir, "exit.json"),
            StatePath = Path.Combine(Dir, "shim-state.json"),
        };
    }

    public static ShimContainer Shell(string runtime, string script) => new(runtime, "/bin/sh", "-c", script);

    public ShimClient Client => new(Config);

    public ShimStarted Start()
    {
        Spec.Process!.Terminal = Config.Terminal;
        File.WriteAllText(Path.Combine(Config.BundlePath, "config.json"), JsonSerializer.Serialize(Spec, SpecJson.Default.RuntimeSpec));
        Started = ShimLauncher.Start(Config, Binaries.Shim);
        return Started;
    }

    public ShimState? State => ShimFiles.ReadState(Config.StatePath);
    public ShimExit? Exit => ShimFiles.ReadExit(Config.ExitPath);

    /// <summary>Waits for the shim to finish (final exit recorded, process gone) and returns the exit record.</summary>
    public ShimExit WaitForFinalExit(int timeoutMs = 60_000)
    {
        Wait.Until(() => State is { Status: ShimStatus.Exited } s && !ShimFiles.IsAlive(s), timeoutMs, "the shim to finish");
        return Exit ?? throw new InvalidOperationException("the shim finished without exit.json");
    }

    public string[] LogLines(string? path = null)
        => File.Exists(path ?? Config.LogPath) ? File.ReadAllLines(path ?? Config.LogPath) : [];

    /// <summary>The log's messages decoded: (log, stream, time).</summary>
    public List<(string Log, string Stream, string Time)> LogEntries(string? path = null)
        => [.. LogLines(path).Select(l =>
        {
            using var d = JsonDocument.Parse(l);
            return (d.RootElement.GetProperty("log").GetString()!, d.RootElement.GetProperty("stream").GetString()!, d.RootElement.GetProperty("time").GetString()!);
        })];

    public (int Code, string Out) RunRuntime(params string[] args)
    {
        var psi = new ProcessStartInfo(Config.RuntimePath) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("--root"); psi.ArgumentList.Add(Config.RuntimeRoot);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output + err.Result);
    }

    public void Dispose()
    {
        if (State is { } s && ShimFiles.IsAlive(s)) Processes.Signal(s.ShimPid, Processes.SIGKILL);
        if (Directory.Exists(Config.RuntimeRoot))
        {
            RunRuntime("kill", Id, "9");
            RunRuntime("delete", "--force", Id);
        }
        try { Directory.Delete(Dir, true); } catch (IOException) { }
    }
}

public static class Wait
{
    public static void Until(Func<bool> condition, int timeoutMs, string what)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.ElapsedMilliseconds > timeoutMs) throw new TimeoutException($"timed out waiting for {what}");
            Thread.Sleep(20);
        }
    }
}
