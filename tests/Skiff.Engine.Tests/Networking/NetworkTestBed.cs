using System.Diagnostics;
using System.Security.Cryptography;
using Skiff.Engine.Networking;

namespace Skiff.Engine.Tests.Networking;

/// <summary>
/// A NetworkService of its own for one test: its own data/run roots, default bridge device, subnets and nftables
/// table, so tests never touch the real skiff0 / `ip skiff` or another helper's. Dispose removes every sandbox,
/// network, device, rule and directory it made, also when the test failed.
/// </summary>
sealed class NetworkTestBed : IDisposable
{
    static int _counter;
    static readonly int BlockBase = RandomNumberGenerator.GetInt32(0, 250);
    public readonly string Tag;
    public readonly EngineRoots Roots;
    public readonly NetworkService Service;
    readonly List<string> _sandboxes = [];
    readonly List<int> _processes = [];

    public NetworkTestBed(int subnetIndex = -1)
    {
        int n = Interlocked.Increment(ref _counter);
        Tag = $"{Environment.ProcessId % 10000:x}{n:x}{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2))}";
        Roots = new EngineRoots($"/tmp/skiff-test-network/{Tag}", $"/run/skiff-test-network/{Tag}");
        // 10.23x.y.0/24 blocks: far from docker (172.17/16), podman (10.88/16) and skiff's default (10.89/16, 10.90/16).
        int block = subnetIndex >= 0 ? subnetIndex : (BlockBase + n) % 250;
        Options = new NetworkOptions
        {
            DefaultBridge = $"sktb{Tag}"[..Math.Min(15, 4 + Tag.Length)],
            DefaultSubnet = $"10.231.{block}.0/24",
            Pool = $"10.232.{block}.0/24", PoolPrefixLength = 28,
            NftTable = $"skifftest{Tag}",
        };
        Service = new NetworkService(Roots, Options);
    }

    public NetworkOptions Options { get; }

    public Sandbox Sandbox(string? id = null)
    {
        id ??= Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var s = Service.CreateSandbox(id);
        lock (_sandboxes) _sandboxes.Add(id);
        return s;
    }

    /// <summary>Starts a process inside the sandbox's network namespace (nsenter --net); killed at Dispose.</summary>
    public Process StartIn(Sandbox s, params string[] args)
    {
        var psi = new ProcessStartInfo("nsenter", [$"--net={s.Path}", .. args]) { RedirectStandardOutput = true, RedirectStandardError = true };
        var p = Process.Start(psi)!;
        lock (_processes) _processes.Add(p.Id);
        return p;
    }

    public void Dispose()
    {
        foreach (var pid in _processes)
            try { using var p = Process.GetProcessById(pid); p.Kill(true); p.WaitForExit(5000); } catch (ArgumentException) { } catch (InvalidOperationException) { }
        foreach (var id in _sandboxes) try { Service.DestroySandbox(id); } catch (EngineException) { }
        try { Service.Prune(); } catch (EngineException) { }
        Sh.Run($"ip link del {Options.DefaultBridge} 2>/dev/null; nft delete table ip {Options.NftTable} 2>/dev/null; true");
        Service.Dispose();
        Skiff.Linux.Mounts.TryUnmount(Path.Combine(Roots.RunRoot, "netns"), Skiff.Linux.Mounts.MNT_DETACH);
        foreach (var d in new[] { Roots.DataRoot, Roots.RunRoot })
            try { Directory.Delete(d, true); } catch (IOException) { }
    }
}

/// <summary>Shell commands for checks that must not go through the code under test (ip, nft, nsenter, curl).</summary>
static class Sh
{
    public static (int Code, string Out) Run(string command, int timeoutMs = 30000)
    {
        var psi = new ProcessStartInfo("/bin/bash", ["-c", command]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(timeoutMs)) { p.Kill(true); return (-1, "timeout: " + command); }
        return (p.ExitCode, output.Result + err.Result);
    }

    public static string Ok(string command)
    {
        var (code, output) = Run(command);
        if (code != 0) throw new Xunit.Sdk.XunitException($"`{command}` exited {code}: {output}");
        return output;
    }

    /// <summary>Host link names (ip -o link), sorted, without links enslaved to bridges that are not
    /// <paramref name="bed"/>'s (other tests and helpers make veths at the same time).</summary>
    public static List<string> Links(NetworkTestBed bed)
    {
        var own = bed.Service.List().Select(n => n.Bridge).Where(b => b.Length > 0).ToHashSet();
        var list = new List<string>();
        foreach (var line in Ok("ip -o link show").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = line.Split(": ")[1].Split('@')[0];
            var master = System.Text.RegularExpressions.Regex.Match(line, @" master (\S+) ");
            if (master.Success && !own.Contains(master.Groups[1].Value)) continue;
            if (name.StartsWith("sktb", StringComparison.Ordinal) && name != bed.Options.DefaultBridge) continue;
            if (name.StartsWith("skbr-", StringComparison.Ordinal) && !own.Contains(name)) continue;
            list.Add(name);
        }
        list.Sort(StringComparer.Ordinal);
        return list;
    }
}
