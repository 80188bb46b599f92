using System.Net;
using System.Net.Sockets;
using Skiff.Engine.Networking;

namespace Skiff.Engine.Tests.Networking;

/// <summary>Sandboxes on the default bridge: real namespaces, veths, the bridge and nft rules, checked with ip/nft/curl.</summary>
[Collection("Networking")]
public class SandboxTests : IDisposable
{
    readonly NetworkTestBed _bed = new();
    NetworkService Net => _bed.Service;

    public void Dispose() => _bed.Dispose();

    [Fact]
    public void Sandbox_connect_destroy_on_the_default_bridge()
    {
        var s = _bed.Sandbox();
        Assert.Contains("lo: <LOOPBACK,UP,LOWER_UP>", Sh.Ok($"nsenter --net={s.Path} ip -o link show lo"));

        var ep = Net.Connect(s.ContainerId, "bridge", new ConnectRequest { ContainerName = "web" });
        var subnet = Ipv4Subnet.Parse(_bed.Options.DefaultSubnet);
        Assert.Equal(subnet.FirstHost.ToString(), ep.Gateway);
        Assert.Equal(new Ipv4Address(subnet.FirstHost.Value + 1).ToString(), ep.IPAddress);
        Assert.Equal(24, ep.PrefixLen);
        Assert.Matches("^veth[0-9a-f]{8}$", ep.HostVeth);
        Assert.Equal("eth0", ep.Interface);

        Assert.Contains($"master {_bed.Options.DefaultBridge}", Sh.Ok($"ip -o link show {ep.HostVeth}"));
        Assert.Contains($"inet {ep.IPAddress}/24", Sh.Ok($"nsenter --net={s.Path} ip -o addr show eth0"));
        Assert.Contains(ep.MacAddress, Sh.Ok($"nsenter --net={s.Path} ip -o link show eth0"));
        Assert.Contains($"default via {ep.Gateway} dev eth0", Sh.Ok($"nsenter --net={s.Path} ip route"));
        Assert.Contains("1 packets received", Sh.Ok($"nsenter --net={s.Path} busybox ping -c1 -W3 {ep.Gateway}"));
        Assert.Equal("1", File.ReadAllText($"/proc/sys/net/ipv4/conf/{_bed.Options.DefaultBridge}/route_localnet").Trim());

        // Outbound NAT: the subnet is masqueraded when it leaves through anything but a Skiff bridge.
        var table = Sh.Ok($"nft list table ip {_bed.Options.NftTable}");
        Assert.Contains("ip saddr @subnets oifname != @bridges masquerade", table);
        Assert.Contains(_bed.Options.DefaultSubnet, table);
        Assert.Equal("1", File.ReadAllText("/proc/sys/net/ipv4/ip_forward").Trim());

        var info = Net.Get("bridge");
        Assert.Equal("web", info.Containers[s.ContainerId].Name);
        Assert.Equal($"{ep.IPAddress}/24", info.Containers[s.ContainerId].IPv4Address);

        Net.DestroySandbox(s.ContainerId);
        Assert.DoesNotContain(ep.HostVeth, Sh.Links(_bed));
        Assert.False(File.Exists(s.Path));
        Assert.Empty(Net.Get("bridge").Containers);
        Net.DestroySandbox(s.ContainerId); // idempotent
    }

    [Fact]
    public void Published_port_serves_the_host_on_127_0_0_1()
    {
        var s = _bed.Sandbox();
        var www = Directory.CreateTempSubdirectory("skiff-net-www").FullName;
        try
        {
            File.WriteAllText(Path.Combine(www, "index.html"), "hello from the sandbox\n");
            var ep = Net.Connect(s.ContainerId, "bridge", new ConnectRequest
            {
                ContainerName = "httpd", Ports = [new PortBinding { HostPort = 0, ContainerPort = 80 }],
            });
            int port = Assert.Single(ep.Ports).HostPort;
            Assert.InRange(port, 1, 65535);
            _bed.StartIn(s, "busybox", "httpd", "-f", "-p", "80", "-h", www);
            var body = Sh.Ok($"for i in $(seq 50); do curl -sf --max-time 2 http://127.0.0.1:{port}/index.html && exit 0; sleep 0.1; done; exit 1");
            Assert.Equal("hello from the sandbox\n", body);
            // The same port on the gateway address and the host's own address (prerouting/output DNAT).
            Assert.Equal("hello from the sandbox\n", Sh.Ok($"curl -sf --max-time 5 http://{ep.Gateway}:{port}/index.html"));
            Assert.Contains($"tcp . {port} : {ep.IPAddress} . 80", Sh.Ok($"nft list map ip {_bed.Options.NftTable} ports"));

            Net.DestroySandbox(s.ContainerId);
            Assert.DoesNotContain($"{port}", Sh.Ok($"nft list map ip {_bed.Options.NftTable} ports"));
            Assert.NotEqual(0, Sh.Run($"curl -sf --max-time 2 http://127.0.0.1:{port}/index.html").Code);
        }
        finally { Directory.Delete(www, true); }
    }

    [Fact]
    public void Port_already_bound_on_the_host_is_a_clear_error_and_leaves_nothing()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int taken = ((IPEndPoint)listener.LocalEndpoint).Port;
        var s = _bed.Sandbox();
        var linksBefore = Sh.Links(_bed);
        var e = Assert.Throws<EngineException>(() => Net.Connect(s.ContainerId, "bridge", new ConnectRequest
        {
            ContainerName = "clash", Ports = [new PortBinding { HostPort = taken, ContainerPort = 80 }],
        }));
        Assert.Contains($"0.0.0.0:{taken}", e.Message);
        Assert.Contains("address already in use", e.Message);
        Assert.Equal(linksBefore, Sh.Links(_bed));
        Assert.Single(Sh.Ok($"nsenter --net={s.Path} ip -o link show").Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Empty(Net.Get("bridge").Containers);
        Assert.DoesNotContain($"{taken}", Sh.Run($"nft list map ip {_bed.Options.NftTable} ports").Out);
    }

    [Fact]
    public void Port_published_by_another_container_is_already_allocated()
    {
        var a = _bed.Sandbox();
        var b = _bed.Sandbox();
        var first = Net.Connect(a.ContainerId, "bridge", new ConnectRequest { ContainerName = "a", Ports = [new PortBinding { ContainerPort = 80 }] });
        int port = first.Ports[0].HostPort;
        var linksBefore = Sh.Links(_bed);
        var e = Assert.Throws<EngineException>(() => Net.Connect(b.ContainerId, "bridge", new ConnectRequest
        {
            ContainerName = "b", Ports = [new PortBinding { HostIp = "127.0.0.1", HostPort = port, ContainerPort = 8080 }],
        }));
        Assert.Equal(EngineErrorKind.Conflict, e.Kind);
        Assert.Contains($"127.0.0.1:{port} failed: port is already allocated", e.Message);
        Assert.Equal(linksBefore, Sh.Links(_bed));
        Assert.Single(Net.Get("bridge").Containers);
        // udp on the same number is a different port
        var udp = Net.Connect(b.ContainerId, "bridge", new ConnectRequest { ContainerName = "b", Ports = [new PortBinding { Proto = "udp", HostPort = port, ContainerPort = 53 }] });
        Assert.Equal(port, udp.Ports[0].HostPort);
    }

    [Fact]
    public void Bad_port_specs_are_refused_before_anything_is_made()
    {
        var s = _bed.Sandbox();
        var before = Sh.Links(_bed);
        Assert.Contains("protocol must be tcp or udp", Assert.Throws<EngineException>(() => Net.Connect(s.ContainerId, "bridge",
            new ConnectRequest { Ports = [new PortBinding { Proto = "sctp", ContainerPort = 1 }] })).Message);
        Assert.Contains("container port", Assert.Throws<EngineException>(() => Net.Connect(s.ContainerId, "bridge",
            new ConnectRequest { Ports = [new PortBinding { ContainerPort = 70000 }] })).Message);
        Assert.Contains("host IP", Assert.Throws<EngineException>(() => Net.Connect(s.ContainerId, "bridge",
            new ConnectRequest { Ports = [new PortBinding { HostIp = "localhost", ContainerPort = 80 }] })).Message);
        Assert.Contains("not found", Assert.Throws<EngineException>(() => Net.Connect(s.ContainerId, "nosuchnet", new ConnectRequest())).Message);
        Assert.Contains("CreateSandbox first", Assert.Throws<EngineException>(() => Net.Connect(new string('a', 64), "bridge", new ConnectRequest())).Message);
        Assert.Equal(before, Sh.Links(_bed));
    }

    [Fact]
    public void Fifty_sandboxes_in_parallel_leave_nothing_behind()
    {
        // Warm up: the bridge and the table exist before the snapshot, as they would on a used host.
        var warm = _bed.Sandbox();
        Net.Connect(warm.ContainerId, "bridge", new ConnectRequest());
        Net.DestroySandbox(warm.ContainerId);
        var links = Sh.Links(_bed);
        var table = Sh.Ok($"nft list table ip {_bed.Options.NftTable}");
        var netns = Directory.GetFiles(Path.Combine(_bed.Roots.RunRoot, "netns"));
        var mounts = File.ReadAllLines("/proc/self/mountinfo").Count(l => l.Contains(_bed.Roots.RunRoot));

        var ids = Enumerable.Range(0, 50).Select(i => $"{_bed.Tag}{i:x4}".PadRight(64, '0')).ToList();
        var endpoints = new EndpointInfo[50];
        Parallel.For(0, 50, new ParallelOptions { MaxDegreeOfParallelism = 16 }, i =>
        {
            _bed.Sandbox(ids[i]);
            endpoints[i] = Net.Connect(ids[i], "bridge", new ConnectRequest
            {
                ContainerName = $"c{i}", Ports = [new PortBinding { ContainerPort = 80 }],
            });
        });
        Assert.Equal(50, endpoints.Select(e => e.IPAddress).Distinct().Count());
        Assert.Equal(50, endpoints.Select(e => e.Ports[0].HostPort).Distinct().Count());
        Assert.Equal(50, Net.Get("bridge").Containers.Count);
        Parallel.For(0, 50, new ParallelOptions { MaxDegreeOfParallelism = 16 }, i => Net.DestroySandbox(ids[i]));

        Assert.Equal(links, Sh.Links(_bed));
        Assert.Equal(table, Sh.Ok($"nft list table ip {_bed.Options.NftTable}"));
        Assert.Equal(netns, Directory.GetFiles(Path.Combine(_bed.Roots.RunRoot, "netns")));
        Assert.Equal(mounts, File.ReadAllLines("/proc/self/mountinfo").Count(l => l.Contains(_bed.Roots.RunRoot)));
        Assert.Empty(Net.Get("bridge").Containers);
    }
}
