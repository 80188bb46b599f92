using System.Diagnostics;
using System.Text;

namespace Cgroup2Vm.Tests;

/// <summary>
/// One boot of the throw-away cgroup-v2 VM (tests/Cgroup2Vm/run-vm.sh: Debian's kernel under qemu TCG, busybox init,
/// the published oar), shared by every test of <see cref="Cgroup2VmTests"/>. The guest prints
/// "RESULT name PASS|FAIL detail" lines on its serial console; this class keeps them by name.
/// </summary>
public sealed class VmRun : IDisposable
{
    /// <summary>The guest's check names (its EXPECTED line), in order.</summary>
    public IReadOnlyList<string> Expected { get; }
    public IReadOnlyDictionary<string, (bool Pass, string Detail)> Results { get; }
    public string Console { get; }
    /// <summary>Why the run as a whole went wrong (no boot, timeout, qemu missing), or null.</summary>
    public string? Failure { get; }
    public TimeSpan Elapsed { get; }
    readonly string work;

    public VmRun()
    {
        var root = RepoRoot();
        var oar = Environment.GetEnvironmentVariable("OAR_BINARY") is { Length: > 0 } env ? env : Path.Combine(root, "out", "oar", "oar");
        work = Directory.CreateTempSubdirectory("skiff-test-cgroup2vm-").FullName;
        var psi = new ProcessStartInfo("bash", [Path.Combine(root, "tests", "Cgroup2Vm", "run-vm.sh"), work, oar])
        { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        // The downloaded kernel is kept between runs (one apt-get download per kernel version).
        psi.Environment["CGROUP2VM_KERNEL_CACHE"] = "/var/tmp/skiff-cgroup2vm-kernel";
        var clock = Stopwatch.StartNew();
        var output = new StringBuilder();
        var errors = new StringBuilder();
        int exit;
        using (var p = Process.Start(psi)!)
        {
            p.StandardInput.Close();
            p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
            p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (errors) errors.AppendLine(e.Data); };
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            // run-vm.sh has its own qemu timeout (300 s); this is the backstop for the build step.
            if (!p.WaitForExit(TimeSpan.FromMinutes(8))) { p.Kill(entireProcessTree: true); p.WaitForExit(); }
            p.WaitForExit();
            exit = p.ExitCode;
        }
        Elapsed = clock.Elapsed;
        Console = output.ToString();
        File.WriteAllText(Path.Combine(work, "console.log"), Console + "\n--- stderr ---\n" + errors);

        var results = new Dictionary<string, (bool, string)>();
        var expected = new List<string>();
        foreach (var raw in Console.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            int at = line.IndexOf("RESULT ", StringComparison.Ordinal);
            if (line.StartsWith("EXPECTED ", StringComparison.Ordinal))
                expected.AddRange(line["EXPECTED ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries));
            else if (at >= 0)
            {
                var parts = line[(at + "RESULT ".Length)..].Split(' ', 3);
                if (parts.Length >= 2) results[parts[0]] = (parts[1] == "PASS", parts.Length > 2 ? parts[2] : "");
            }
        }
        Expected = expected;
        Results = results;
        if (!Console.Contains("GUEST DONE"))
            Failure = $"the VM did not finish its checks (run-vm.sh exit {exit} after {Elapsed.TotalSeconds:F0}s)\n" +
                      $"stderr:\n{Tail(errors.ToString())}\nconsole:\n{Tail(Console)}";
    }

    static string Tail(string s) => s.Length <= 4000 ? s : "…" + s[^4000..];

    static string RepoRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Skiff.slnx"))) dir = Path.GetDirectoryName(dir);
        return dir ?? throw new InvalidOperationException("cannot find the repository root (Skiff.slnx) above " + AppContext.BaseDirectory);
    }

    /// <summary>Fails unless the guest printed "RESULT <paramref name="name"/> PASS".</summary>
    public void Check(string name)
    {
        if (!Results.TryGetValue(name, out var r))
            Assert.Fail($"no RESULT line for {name} on the guest console" + (Failure is null ? "" : "\n" + Failure) + "\n" + Tail(Console));
        Assert.True(r.Pass, $"{name}: {r.Detail}");
    }

    public void Dispose()
    {
        // Keep the console of a failed run for a post-mortem; remove the disks and the initramfs either way.
        foreach (var f in new[] { "swap.img", "io.img", "initramfs.cpio.gz", "vmlinuz" }) File.Delete(Path.Combine(work, f));
        try { Directory.Delete(Path.Combine(work, "initramfs"), true); } catch (IOException) { }
        if (Failure is null && Results.Values.All(r => r.Pass)) Directory.Delete(work, true);
    }
}
