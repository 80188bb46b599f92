using System.Security.Cryptography;
using System.Text.Json;

namespace Skiff.Engine.Tests.Networking;

/// <summary>
/// A private engine (<see cref="EngineRoot"/>: own roots, the real CLI, shim and oar) whose networking is private too: its
/// own default bridge device, subnets and nftables table, so containers of these tests never touch skiff0 / `ip skiff`
/// or another helper's networks. <see cref="Leftovers"/> lists whatever of it is still on the host; Dispose removes
/// containers, networks, devices and the table, also after a failed test.
/// </summary>
public sealed class EngineNetworkBed : IDisposable
{
    static int _counter;
    static readonly int BlockBase = RandomNumberGenerator.GetInt32(0, 200);
    public readonly EngineRoot E = new();
    public readonly string Tag;
    public readonly string DefaultBridge;
    public readonly string Table;
    public readonly int Block;
    readonly List<string> _networks = [];

    public EngineNetworkBed()
    {
        int n = Interlocked.Increment(ref _counter);
        Tag = $"{System.Environment.ProcessId % 10000:x}{n:x}{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2))}";
        Block = (BlockBase + n * 7) % 250;
        DefaultBridge = $"sktb{Tag}"[..Math.Min(15, 4 + Tag.Length)];
        Table = $"skifftest{Tag}";
        E.Environment["SKIFF_DEFAULT_BRIDGE"] = DefaultBridge;
        E.Environment["SKIFF_DEFAULT_SUBNET"] = $"10.231.{Block}.0/24";
        // Sixteen /24s per bed for user networks (10.240.0.0/12 is cut into 250 such blocks).
        E.Environment["SKIFF_NETWORK_POOL"] = $"10.{240 + Block / 16}.{Block % 16 * 16}.0/20";
        E.Environment["SKIFF_NFT_TABLE"] = Table;
    }

    /// <summary>A user network with its own bridge device name (so the test can look for it); returns the bridge.</summary>
    public string CreateNetwork(string name, params string[] extra)
    {
        var bridge = $"skn{Tag}{_networks.Count}";
        if (bridge.Length > 15) bridge = bridge[^15..];
        E.Ok(["network", "create", "-o", $"com.docker.network.bridge.name={bridge}", .. extra, name]);
        _networks.Add(name);
        return bridge;
    }

    public JsonElement NetworkInspect(string name) => JsonDocument.Parse(E.Ok("network", "inspect", name)).RootElement[0].Clone();

    /// <summary>A container's address on a network, from inspect.</summary>
    public string Address(string container, string network)
        => E.Inspect(container).GetProperty("NetworkSettings").GetProperty("Networks").GetProperty(network).GetProperty("IPAddress").GetString()!;

    /// <summary>Starts a busybox container serving "&lt;name&gt;\n" over HTTP on port 80.</summary>
    public string Web(string name, params string[] flags)
        => E.Ok(["run", "-d", "--name", name, .. flags, EngineRoot.Image, "sh", "-c",
            $"mkdir -p /www && echo {name} > /www/index.html && exec busybox httpd -f -p 80 -h /www"]).Trim();

    /// <summary>`busybox wget` from inside <paramref name="container"/>, stopped after 3 s: the body, or null when it failed.
    /// (`busybox timeout`, because Debian's busybox 1.35 wget crashes with its own -T.)</summary>
    public string? Fetch(string container, string url)
    {
        var r = E.Run("exec", container, "busybox", "timeout", "3", "busybox", "wget", "-qO-", url);
        return r.Exit == 0 ? r.Out : null;
    }

    /// <summary>Like <see cref="Fetch"/>, retried for a few seconds while it fails (a server that just started).</summary>
    public string? FetchEventually(string container, string url)
    {
        for (int i = 0; i < 10; i++)
        {
            if (Fetch(container, url) is { } body) return body;
            Thread.Sleep(300);
        }
        return null;
    }

    /// <summary>Everything of this bed's networking still on the host: links on its bridges or named like them,
    /// elements in its nft sets and maps, namespaces in its run root.</summary>
    public List<string> Leftovers(IEnumerable<string> bridges)
    {
        var found = new List<string>();
        foreach (var b in bridges)
            if (Sh.Run($"ip link show dev {b}").Code == 0) found.Add("bridge " + b);
        foreach (var b in bridges.Append(DefaultBridge))
        {
            var ports = Sh.Run($"ip -o link show master {b}");
            if (ports.Code == 0 && ports.Out.Trim().Length > 0) found.Add($"links on {b}: {ports.Out.Trim()}");
        }
        var table = Sh.Run($"nft -j list table ip {Table}");
        if (table.Code == 0)
        {
            using var doc = JsonDocument.Parse(table.Out[table.Out.IndexOf('{')..]);
            foreach (var item in doc.RootElement.GetProperty("nftables").EnumerateArray())
                foreach (var kind in new[] { "set", "map" })
                    if (item.TryGetProperty(kind, out var set) && set.TryGetProperty("elem", out var elem))
                        foreach (var e in elem.EnumerateArray())
                        {
                            // The default network stays (as docker's bridge does): its own elements are not leftovers.
                            var text = e.ToString();
                            if (text.Contains(DefaultBridge, StringComparison.Ordinal) || text.Contains($"10.231.{Block}.0", StringComparison.Ordinal)) continue;
                            found.Add($"{kind} {set.GetProperty("name").GetString()}: {text}");
                        }
        }
        var netns = Path.Combine(E.RunRoot, "netns");
        if (Directory.Exists(netns)) found.AddRange(Directory.GetFiles(netns).Select(f => "netns " + f));
        return found;
    }

    public void Dispose()
    {
        try
        {
            var ids = E.Run("ps", "-aq", "--no-trunc").Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (ids.Length > 0) E.Run(["rm", "-f", .. ids]);
            foreach (var n in _networks) E.Run("network", "rm", n);
        }
        catch (Exception) { }
        E.Dispose();
        Sh.Run($"ip link del {DefaultBridge} 2>/dev/null; nft delete table ip {Table} 2>/dev/null; true");
        for (int i = 0; i < _networks.Count; i++)
        {
            var bridge = $"skn{Tag}{i}";
            if (bridge.Length > 15) bridge = bridge[^15..];
            Sh.Run($"ip link del {bridge} 2>/dev/null; true");
        }
    }
}
