namespace Skiff.Engine.Tests.Networking;

/// <summary>
/// Isolation between networks as docker has it: traffic between two Skiff bridge networks, and between a user network
/// and the default bridge, is dropped in both directions by the `ip skiff` table's forward rule; within a network it
/// flows; outbound NAT still works (against an HTTP server in a network namespace this test makes, reached through a
/// veth — never an outside address) and a published port is still reachable from the host on 127.0.0.1.
/// </summary>
[Collection("Networking")]
public sealed class IsolationTests : IDisposable
{
    readonly EngineNetworkBed _bed = new();
    readonly string _outsideNs;
    readonly string _outsideVeth;
    readonly string _www = Directory.CreateTempSubdirectory("skiff-isolation-www").FullName;
    EngineRoot E => _bed.E;

    public IsolationTests()
    {
        _outsideNs = $"skout{_bed.Tag}";
        _outsideVeth = $"vout{_bed.Tag}"[..Math.Min(15, 4 + _bed.Tag.Length)];
    }

    public void Dispose()
    {
        _bed.Dispose();
        Sh.Run($"ip netns pids {_outsideNs} 2>/dev/null | xargs -r kill; ip link del {_outsideVeth} 2>/dev/null; ip netns del {_outsideNs} 2>/dev/null; true");
        Directory.Delete(_www, true);
    }

    /// <summary>An "outside" host: a namespace behind a /30 veth from the host (10.234.B.1 host side, .2 inside) running
    /// busybox httpd whose CGI answers with the client address it sees.</summary>
    string StartOutsideServer()
    {
        var hostSide = $"10.234.{_bed.Block}.1";
        var inside = $"10.234.{_bed.Block}.2";
        Directory.CreateDirectory(Path.Combine(_www, "cgi-bin"));
        var cgi = Path.Combine(_www, "cgi-bin", "addr");
        File.WriteAllText(cgi, "#!/bin/sh\necho 'Content-Type: text/plain'\necho\necho \"$REMOTE_ADDR\"\n");
        File.SetUnixFileMode(cgi, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        Sh.Ok($"ip netns add {_outsideNs} && ip link add {_outsideVeth} type veth peer name eth0 netns {_outsideNs} && " +
              $"ip addr add {hostSide}/30 dev {_outsideVeth} && ip link set {_outsideVeth} up && " +
              $"ip -n {_outsideNs} addr add {inside}/30 dev eth0 && ip -n {_outsideNs} link set eth0 up && ip -n {_outsideNs} link set lo up && " +
              $"(ip netns exec {_outsideNs} busybox httpd -p 80 -h {_www} </dev/null >/dev/null 2>&1)");
        return inside;
    }

    /// <summary>The client address the outside server's CGI printed (busybox httpd shows IPv4 clients as [::ffff:a.b.c.d]).</summary>
    static string? Seen(string? body) => body?.Trim().Replace("[::ffff:", "").TrimEnd(']');

    /// <summary>Packets the isolation rule of the bed's table dropped so far.</summary>
    long IsolationDrops()
    {
        var chain = Sh.Ok($"nft list chain ip {_bed.Table} forward");
        var m = System.Text.RegularExpressions.Regex.Match(chain, @"@bridge_pairs counter packets (\d+)");
        Assert.True(m.Success, chain);
        return long.Parse(m.Groups[1].Value);
    }

    [Fact]
    public void Networks_are_isolated_both_ways_while_inside_traffic_nat_and_published_ports_work()
    {
        var a = $"isoa{_bed.Tag}";
        var b = $"isob{_bed.Tag}";
        var aBridge = _bed.CreateNetwork(a);
        var bBridge = _bed.CreateNetwork(b);
        string a1 = $"a1{_bed.Tag}", a2 = $"a2{_bed.Tag}", b1 = $"b1{_bed.Tag}", d1 = $"d1{_bed.Tag}";
        _bed.Web(a1, "--network", a);
        _bed.Web(a2, "--network", a, "-p", "127.0.0.1::80");
        _bed.Web(b1, "--network", b);
        _bed.Web(d1); // the default bridge
        string a1Ip = _bed.Address(a1, a), a2Ip = _bed.Address(a2, a), b1Ip = _bed.Address(b1, b), d1Ip = _bed.Address(d1, "bridge");

        // The isolation rule's elements: every bridge is paired only with itself.
        var pairs = Sh.Ok($"nft list set ip {_bed.Table} bridge_pairs");
        foreach (var br in new[] { aBridge, bBridge, _bed.DefaultBridge }) Assert.Contains($"\"{br}\" . \"{br}\"", pairs);

        // Within a network: by name and address, both ways.
        Assert.Equal($"{a2}\n", _bed.FetchEventually(a1, $"http://{a2}/"));
        Assert.Equal($"{a1}\n", _bed.FetchEventually(a2, $"http://{a1Ip}/"));
        // The servers on the other networks are up (seen from their own network's gateway side: the host).
        Assert.Equal($"{b1}\n", Sh.Ok($"curl -sf --max-time 5 --retry 5 --retry-connrefused http://{b1Ip}/"));
        Assert.Equal($"{d1}\n", Sh.Ok($"curl -sf --max-time 5 --retry 5 --retry-connrefused http://{d1Ip}/"));

        // Across networks: dropped in both directions, user↔user and user↔default bridge — by the isolation rule (its
        // counter grows; the host routes between the bridges, so without the rule these would get through).
        long dropped = IsolationDrops();
        Assert.Null(_bed.Fetch(a1, $"http://{b1Ip}/"));
        Assert.Null(_bed.Fetch(b1, $"http://{a1Ip}/"));
        Assert.Null(_bed.Fetch(a1, $"http://{d1Ip}/"));
        Assert.Null(_bed.Fetch(d1, $"http://{a1Ip}/"));
        Assert.Null(_bed.Fetch(b1, $"http://{d1Ip}/"));
        Assert.Null(_bed.Fetch(d1, $"http://{b1Ip}/"));
        Assert.True(IsolationDrops() >= dropped + 6, $"isolation rule counted {IsolationDrops() - dropped} drops");

        // Outbound NAT: the outside server sees the host's address on its link, not the container's.
        var outside = StartOutsideServer();
        Assert.Equal($"10.234.{_bed.Block}.1", Seen(_bed.FetchEventually(a1, $"http://{outside}/cgi-bin/addr")));
        Assert.Equal($"10.234.{_bed.Block}.1", Seen(_bed.FetchEventually(d1, $"http://{outside}/cgi-bin/addr")));

        // A published port from the host on 127.0.0.1.
        var port = E.Inspect(a2).GetProperty("NetworkSettings").GetProperty("Ports").GetProperty("80/tcp")[0].GetProperty("HostPort").GetString();
        Assert.Equal($"{a2}\n", Sh.Ok($"curl -sf --max-time 5 --retry 5 --retry-connrefused http://127.0.0.1:{port}/"));

        // Connecting b1 to a lifts the isolation for b1 only (it has an interface on a now); disconnect restores it.
        E.Ok("network", "connect", a, b1);
        Assert.Equal($"{a1}\n", _bed.FetchEventually(b1, $"http://{a1}/"));
        E.Ok("network", "disconnect", a, b1);
        Assert.Null(_bed.Fetch(b1, $"http://{a1Ip}/"));
        // b1 still reaches the outside through its remaining network's gateway.
        Assert.Equal($"10.234.{_bed.Block}.1", Seen(_bed.FetchEventually(b1, $"http://{outside}/cgi-bin/addr")));

        E.Ok("rm", "-f", a1, a2, b1, d1);
        E.Ok("network", "rm", a, b);
        Assert.Empty(_bed.Leftovers([aBridge, bBridge]));
        Assert.DoesNotContain(aBridge, Sh.Ok($"nft list set ip {_bed.Table} bridge_pairs"));
    }

    [Fact]
    public void Connecting_to_a_second_network_and_leaving_the_first_keeps_a_default_route()
    {
        var a = $"rta{_bed.Tag}";
        var b = $"rtb{_bed.Tag}";
        var aBridge = _bed.CreateNetwork(a);
        var bBridge = _bed.CreateNetwork(b);
        var c = $"rt{_bed.Tag}";
        E.Ok("run", "-d", "--name", c, "--network", a, EngineRoot.Image, "sleep", "600");
        E.Ok("network", "connect", b, c);
        var gwA = _bed.NetworkInspect(a).GetProperty("IPAM").GetProperty("Config")[0].GetProperty("Gateway").GetString();
        var gwB = _bed.NetworkInspect(b).GetProperty("IPAM").GetProperty("Config")[0].GetProperty("Gateway").GetString();
        Assert.Contains($"default via {gwA}", E.Ok("exec", c, "busybox", "ip", "route"));
        E.Ok("network", "disconnect", a, c);
        Assert.Contains($"default via {gwB}", E.Ok("exec", c, "busybox", "ip", "route"));
        var outside = StartOutsideServer();
        Assert.Equal($"10.234.{_bed.Block}.1", Seen(_bed.FetchEventually(c, $"http://{outside}/cgi-bin/addr")));
        E.Ok("rm", "-f", c);
        E.Ok("network", "rm", a, b);
        Assert.Empty(_bed.Leftovers([aBridge, bBridge]));
    }
}
