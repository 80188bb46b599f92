using System.Text.Json;

namespace Skiff.Engine.Tests.Networking;

/// <summary>`skiff network connect/disconnect` on real containers (real CLI, shim, oar) with real traffic: two containers
/// on different networks cannot talk; after connect they do, by name both ways; after disconnect they cannot again.
/// A created container gets its recorded connection (alias, fixed address) at start. docker's error texts.</summary>
[Collection("Networking")]
public sealed class NetworkConnectTests : IDisposable
{
    readonly EngineNetworkBed _bed = new();
    EngineRoot E => _bed.E;

    public void Dispose() => _bed.Dispose();

    static JsonElement Networks(JsonElement inspect) => inspect.GetProperty("NetworkSettings").GetProperty("Networks");

    /// <summary>The container's interfaces with an IPv4 address, as `name address/prefix` lines (busybox ip inside).</summary>
    string Interfaces(string container)
    {
        var lines = E.Ok("exec", container, "busybox", "ip", "-o", "-4", "addr", "show").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return string.Join("\n", lines.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(f => f[1] != "lo").Select(f => $"{f[1]} {f[3]}"));
    }

    [Fact]
    public void Connect_lets_two_networks_containers_talk_by_name_and_disconnect_stops_it()
    {
        var front = $"front{_bed.Tag}";
        var back = $"back{_bed.Tag}";
        var frontBridge = _bed.CreateNetwork(front);
        var backBridge = _bed.CreateNetwork(back);
        var web = $"web{_bed.Tag}";
        var cli = $"cli{_bed.Tag}";
        _bed.Web(web, "--network", front);
        E.Ok("run", "-d", "--name", cli, "--network", back, EngineRoot.Image, "sleep", "600");
        var webIp = _bed.Address(web, front);

        // Different networks: no name, and the address is not reachable either (isolation).
        Assert.Null(_bed.Fetch(cli, $"http://{web}/"));
        Assert.Null(_bed.Fetch(cli, $"http://{webIp}/"));
        Assert.Equal($"eth0 {_bed.Address(cli, back)}/24", Interfaces(cli));

        E.Ok("network", "connect", "--alias", "frontend-cli", front, cli);
        var nets = Networks(E.Inspect(cli));
        Assert.True(nets.TryGetProperty(front, out var ep), nets.ToString());
        var cliFrontIp = ep.GetProperty("IPAddress").GetString()!;
        Assert.Equal(24, ep.GetProperty("IPPrefixLen").GetInt32());
        Assert.Equal(_bed.NetworkInspect(front).GetProperty("Id").GetString(), ep.GetProperty("NetworkID").GetString());
        Assert.Equal(["frontend-cli"], ep.GetProperty("Aliases").EnumerateArray().Select(a => a.GetString()));
        Assert.Contains(cli, ep.GetProperty("DNSNames").EnumerateArray().Select(a => a.GetString()));
        Assert.True(nets.TryGetProperty(back, out _));
        Assert.Equal($"eth0 {_bed.Address(cli, back)}/24\neth1 {cliFrontIp}/24", Interfaces(cli));
        Assert.Contains(cli, _bed.NetworkInspect(front).GetProperty("Containers").EnumerateObject().Select(c => c.Value.GetProperty("Name").GetString()));

        // Both ways by name: cli fetches from web; web's hosts file (bind-mounted, rewritten in place) now has cli and its alias.
        Assert.Equal($"{web}\n", _bed.FetchEventually(cli, $"http://{web}/"));
        var webHosts = E.Ok("exec", web, "cat", "/etc/hosts");
        Assert.Contains($"{cliFrontIp}\t", webHosts);
        Assert.Matches($@"{System.Text.RegularExpressions.Regex.Escape(cliFrontIp)}\t.*\b{cli}\b.*\bfrontend-cli\b", webHosts);
        var ping = E.Run("exec", web, "busybox", "ping", "-c", "1", "-W", "3", "frontend-cli");
        Assert.True(ping.Exit == 0, ping.Out + ping.Err);
        Assert.Contains($"{webIp}\t", E.Ok("exec", cli, "cat", "/etc/hosts"));

        // Errors in docker's words.
        Assert.Contains($"endpoint with name {cli} already exists in network {front}", E.Run("network", "connect", front, cli).Err);
        Assert.Contains("network nosuchnet not found", E.Run("network", "connect", "nosuchnet", cli).Err);
        Assert.Contains("No such container: nosuchctr", E.Run("network", "connect", front, "nosuchctr").Err);
        Assert.Contains("cannot connect container to host network", E.Run("network", "connect", "host", cli).Err);
        var fullId = E.Inspect(web).GetProperty("Id").GetString();
        var notConnected = E.Run("network", "disconnect", back, web);
        Assert.Equal(1, notConnected.Exit);
        Assert.Contains($"container {fullId} is not connected to network {back}", notConnected.Err);

        E.Ok("network", "disconnect", front, cli);
        Assert.False(Networks(E.Inspect(cli)).TryGetProperty(front, out _));
        Assert.Equal($"eth0 {_bed.Address(cli, back)}/24", Interfaces(cli));
        Assert.DoesNotContain(cli, E.Ok("exec", web, "cat", "/etc/hosts"));
        Assert.DoesNotContain(web, E.Ok("exec", cli, "cat", "/etc/hosts"));
        Assert.Null(_bed.Fetch(cli, $"http://{webIp}/"));
        Assert.DoesNotContain(cli, _bed.NetworkInspect(front).GetProperty("Containers").EnumerateObject().Select(c => c.Value.GetProperty("Name").GetString()));

        // docker's network events (actor = the network; attributes container, name, type): at start, connect, disconnect, stop.
        var cliId = E.Inspect(cli).GetProperty("Id").GetString();
        E.Ok("rm", "-f", web, cli);
        var events = E.Ok("events", "--since", "30m", "--until", DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds().ToString(),
            "--filter", "type=network", "--filter", $"container={cliId}", "--format", "{{.Action}} {{.Actor.Attributes.name}} {{.Actor.Attributes.type}}");
        Assert.Equal([$"connect {back} bridge", $"connect {front} bridge", $"disconnect {front} bridge", $"disconnect {back} bridge"],
            events.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        E.Ok("network", "rm", front, back);
        Assert.Empty(_bed.Leftovers([frontBridge, backBridge]));
    }

    [Fact]
    public void A_created_container_gets_its_recorded_connection_with_alias_and_address_at_start()
    {
        var front = $"cfront{_bed.Tag}";
        var back = $"cback{_bed.Tag}";
        var frontBridge = _bed.CreateNetwork(front);
        var backBridge = _bed.CreateNetwork(back);
        var web = $"cweb{_bed.Tag}";
        _bed.Web(web, "--network", front);
        var subnet = _bed.NetworkInspect(front).GetProperty("IPAM").GetProperty("Config")[0].GetProperty("Subnet").GetString()!;
        var baseAddr = subnet.Split('/')[0].Split('.');
        var fixedIp = $"{baseAddr[0]}.{baseAddr[1]}.{baseAddr[2]}.{int.Parse(baseAddr[3]) + 12}";

        var job = $"job{_bed.Tag}";
        E.Ok("create", "--name", job, "--network", back, "--network-alias", "worker", EngineRoot.Image, "sleep", "600");
        E.Ok("network", "connect", "--alias", "db", "--ip", fixedIp, front, job);
        E.Ok("network", "connect", "--alias", "db", "--ip", fixedIp, front, job); // a second connect of a stopped container changes nothing, as docker
        var recorded = Networks(E.Inspect(job));
        Assert.Equal(fixedIp, recorded.GetProperty(front).GetProperty("IPAMConfig").GetProperty("IPv4Address").GetString());
        Assert.Equal("", recorded.GetProperty(front).GetProperty("IPAddress").GetString());
        Assert.Equal(["worker"], recorded.GetProperty(back).GetProperty("Aliases").EnumerateArray().Select(a => a.GetString()));

        E.Ok("start", job);
        var nets = Networks(E.Inspect(job));
        Assert.Equal(fixedIp, nets.GetProperty(front).GetProperty("IPAddress").GetString());
        Assert.Equal(fixedIp, _bed.Address(job, front));
        Assert.Contains($"eth1 {fixedIp}/24", Interfaces(job));
        Assert.Equal($"{web}\n", _bed.FetchEventually(job, $"http://{web}/"));
        Assert.Matches($@"{System.Text.RegularExpressions.Regex.Escape(fixedIp)}\t.*\bdb\b", E.Ok("exec", web, "cat", "/etc/hosts"));

        // rename of a running container renames its entries in its peers' hosts files.
        E.Ok("rename", job, job + "x");
        job += "x";
        Assert.Matches($@"{System.Text.RegularExpressions.Regex.Escape(fixedIp)}\t.*\b{job}\b", E.Ok("exec", web, "cat", "/etc/hosts"));

        // Errors for addresses and modes.
        Assert.Contains("Address already in use", E.Run("run", "-d", "--network", front, "--ip", fixedIp, EngineRoot.Image, "true").Err);
        Assert.Contains("no configured subnet contains IP address 192.0.2.7", E.Run("network", "connect", "--ip", "192.0.2.7", back, web).Err);
        Assert.Contains("user-specified IP address is supported on user-defined networks only",
            E.Run("create", "--ip", $"10.231.{_bed.Block}.9", EngineRoot.Image, "true").Err);
        var hostCtr = $"h{_bed.Tag}";
        E.Ok("create", "--name", hostCtr, "--network", "host", EngineRoot.Image, "true");
        Assert.Contains("container sharing network namespace with another container or host cannot be connected to any other network",
            E.Run("network", "connect", front, hostCtr).Err);
        var noneCtr = $"n{_bed.Tag}";
        E.Ok("create", "--name", noneCtr, "--network", "none", EngineRoot.Image, "true");
        Assert.Contains("container cannot be connected to multiple networks with one of the networks in private (none) mode",
            E.Run("network", "connect", front, noneCtr).Err);
        var joined = $"j{_bed.Tag}";
        E.Ok("create", "--name", joined, "--network", $"container:{web}", EngineRoot.Image, "true");
        Assert.Contains("container sharing network namespace with another container or host cannot be connected to any other network",
            E.Run("network", "connect", front, joined).Err);

        // Disconnecting a created container only changes its record; the next start does without that network.
        var later = $"l{_bed.Tag}";
        E.Ok("create", "--name", later, "--network", back, EngineRoot.Image, "sleep", "600");
        E.Ok("network", "connect", front, later);
        E.Ok("network", "disconnect", front, later);
        Assert.Contains($"is not connected to the network {front}", E.Run("network", "disconnect", front, later).Err);
        E.Ok("start", later);
        Assert.Equal($"eth0 {_bed.Address(later, back)}/24", Interfaces(later));

        // Several --network flags: the container joins all of them (eth0 the first, eth1 the next).
        var multi = $"m{_bed.Tag}";
        E.Ok("run", "-d", "--name", multi, "--network", back, "--network", front, EngineRoot.Image, "sleep", "600");
        Assert.Equal($"eth0 {_bed.Address(multi, back)}/24\neth1 {_bed.Address(multi, front)}/24", Interfaces(multi));

        // -f takes an endpoint off a network even when its container is gone from the engine's records.
        Assert.Contains("No such container: ghost", E.Run("network", "disconnect", front, "ghost").Err);
        Assert.Contains("endpoint ghost not found", E.Run("network", "disconnect", "-f", front, "ghost").Err);

        foreach (var c in new[] { web, job, hostCtr, noneCtr, joined, later, multi }) E.Ok("rm", "-f", c);
        E.Ok("network", "rm", front, back);
        Assert.Empty(_bed.Leftovers([frontBridge, backBridge]));
    }
}
