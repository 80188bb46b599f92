using System.Diagnostics;
using System.Text.Json;

namespace Skiff.Engine.Tests;

/// <summary>A private engine for one test class: its own --root and --run-root, the real `skiff` CLI (skiff.dll next to
/// the tests), the real skiff-shim and oar, and a busybox image imported from Debian's busybox-static. Dispose removes
/// every container (rm -f), unmounts anything left under the roots and deletes them.</summary>
public sealed class EngineRoot : IDisposable
{
    public const string Image = "localhost/busybox:engine";
    public const string UserImage = "localhost/busybox-user:engine";
    public const string VolumeImage = "localhost/busybox-volume:engine";

    public EngineRoot()
    {
        var tag = Guid.NewGuid().ToString("n")[..10];
        DataRoot = $"/tmp/skiff-test-engine-{tag}";
        RunRoot = $"/run/skiff-test-engine-{tag}";
        Directory.CreateDirectory(DataRoot);
        var rootfs = Path.Combine(DataRoot, "busybox-rootfs");
        Busybox.Rootfs(rootfs);
        Ok("import", "--change", "ENV PATH=/bin", "--change", "CMD [\"/bin/sh\"]", rootfs, Image);
        Ok("import", "--change", "ENV PATH=/bin", "--change", "USER alice", "--change", "WORKDIR /home/alice", rootfs, UserImage);
        Ok("import", "--change", "ENV PATH=/bin", "--change", "VOLUME /data", rootfs, VolumeImage);
    }

    public string DataRoot { get; }
    public string RunRoot { get; }
    /// <summary>Extra environment for every skiff command (e.g. a test's own SKIFF_DEFAULT_BRIDGE / SKIFF_NFT_TABLE).</summary>
    public Dictionary<string, string> Environment { get; } = [];

    public static string RepoRoot
    {
        get
        {
            var d = new DirectoryInfo(AppContext.BaseDirectory);
            while (d is not null && !File.Exists(Path.Combine(d.FullName, "Skiff.slnx"))) d = d.Parent;
            return d?.FullName ?? throw new InvalidOperationException("repository root not found");
        }
    }

    public static string Oar => System.Environment.GetEnvironmentVariable("OAR_BINARY") is { Length: > 0 } e ? e : Path.Combine(RepoRoot, "out", "oar", "oar");

    public static string Shim
    {
        get
        {
            if (System.Environment.GetEnvironmentVariable("SKIFF_SHIM") is { Length: > 0 } e) return e;
            var published = Path.Combine(RepoRoot, "out", "skiff", "skiff-shim");
            if (File.Exists(published)) return published;
            return Path.Combine(RepoRoot, "src", "Skiff.Shim", "bin", "Debug", "net10.0", "linux-x64", "skiff-shim");
        }
    }

    public sealed record Result(int Exit, string Out, string Err);

    public Process Start(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "skiff.dll"));
        psi.ArgumentList.Add("--root"); psi.ArgumentList.Add(DataRoot);
        psi.ArgumentList.Add("--run-root"); psi.ArgumentList.Add(RunRoot);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["OAR_BINARY"] = Oar;
        psi.Environment["SKIFF_SHIM"] = Shim;
        foreach (var (k, v) in Environment) psi.Environment[k] = v;
        return Process.Start(psi)!;
    }

    public Result Run(params string[] args) => RunWithInput(null, args);

    public Result RunWithInput(string? input, params string[] args)
    {
        using var p = Start(args);
        if (input is not null) p.StandardInput.Write(input);
        p.StandardInput.Close();
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return new Result(p.ExitCode, o.Result, e);
    }

    public string Ok(params string[] args)
    {
        var r = Run(args);
        if (r.Exit != 0) throw new Xunit.Sdk.XunitException($"skiff {string.Join(' ', args)} failed ({r.Exit}): {r.Err}{r.Out}");
        return r.Out;
    }

    public JsonElement Inspect(string container)
        => JsonDocument.Parse(Ok("inspect", "--type", "container", container)).RootElement[0].Clone();

    /// <summary>Waits (polling inspect) until the condition holds; fails after <paramref name="seconds"/>.</summary>
    public JsonElement WaitFor(string container, Func<JsonElement, bool> condition, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var j = Inspect(container);
            if (condition(j)) return j;
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"timed out waiting on {container}: {j}");
            Thread.Sleep(200);
        }
    }

    /// <summary>Everything a container leaves on the host while it exists: its directory, mounts, cgroups, runtime state.</summary>
    public List<string> Traces(string id)
    {
        var found = new List<string>();
        if (Directory.Exists(Path.Combine(DataRoot, "containers", id))) found.Add("container directory");
        foreach (var line in File.ReadAllLines("/proc/self/mountinfo"))
            if (line.Contains(id)) found.Add("mount " + line.Split(' ')[4]);
        foreach (var ctl in Directory.GetDirectories("/sys/fs/cgroup"))
            if (Directory.Exists(Path.Combine(ctl, "skiff", id))) found.Add("cgroup " + Path.Combine(ctl, "skiff", id));
        if (Directory.Exists(Path.Combine(RunRoot, "oar", id))) found.Add("runtime state");
        var snaps = Path.Combine(DataRoot, "snapshots");
        if (Directory.Exists(snaps) && Directory.EnumerateFiles(snaps, "info.json", SearchOption.AllDirectories).Any(f => File.ReadAllText(f).Contains($"container-{id}")))
            found.Add("snapshot");
        return found;
    }

    public void Dispose()
    {
        try
        {
            var ids = Run("ps", "-aq", "--no-trunc").Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (ids.Length > 0) Run(["rm", "-f", "-v", .. ids]);
        }
        catch (Exception) { }
        foreach (var root in new[] { DataRoot, RunRoot })
        {
            foreach (var line in File.ReadAllLines("/proc/self/mountinfo").Reverse())
            {
                var mp = line.Split(' ')[4];
                if (mp.StartsWith(root + "/", StringComparison.Ordinal) || mp == root) Linux.Mounts.TryUnmount(mp, Linux.Mounts.MNT_DETACH);
            }
            try { Directory.Delete(root, recursive: true); } catch (DirectoryNotFoundException) { }
        }
    }
}
