using Skiff.Engine.Networking;

namespace Skiff.Engine.Tests.Networking;

/// <summary>User-defined networks: CRUD, IPAM, internal networks, and containers reaching each other by name.</summary>
[Collection("Networking")]
public class UserNetworkTests : IDisposable
{
    readonly NetworkTestBed _bed = new();
    readonly List<string> _dirs = [];
    NetworkService Net => _bed.Service;

    public void Dispose()
    {
        _bed.Dispose();
        foreach (var d in _dirs) Directory.Delete(d, true);
    }

    string FilesDir()
    {
        var d = Directory.CreateTempSubdirectory("skiff-net-files").FullName;
        _dirs.Add(d);
        return d;
    }

    /// <summary>Runs a command in the sandbox with the container's hosts file as /etc/hosts (what the container sees).</summary>
    static (int Code, string Out) InContainer(Sandbox s, string filesDir, string command)
        => Sh.Run($"unshare -m sh -c 'mount --bind {filesDir}/hosts /etc/hosts && nsenter --net={s.Path} {command}'");

    [Fact]
    public void Two_sandboxes_on_a_user_network_talk_by_name()
    {
        var net = Net.Create(new NetworkCreateRequest { Name = $"front{_bed.Tag}" });
        var a = _bed.Sandbox();
        var b = _bed.Sandbox();
        var aDir = FilesDir();
        var bDir = FilesDir();
        var ea = Net.Connect(a.ContainerId, net.Name, new ConnectRequest { ContainerName = "alpha", Hostname = "alpha-host" });
        Net.WriteContainerFiles(a.ContainerId, aDir);
        long inode = Inode(Path.Combine(aDir, "hosts"));
        var eb = Net.Connect(b.ContainerId, net.Name, new ConnectRequest { ContainerName = "beta", Aliases = ["db"] });
        Net.WriteContainerFiles(b.ContainerId, bDir);

        var aHosts = File.ReadAllText(Path.Combine(aDir, "hosts"));
        Assert.Contains($"{ea.IPAddress}\talpha-host alpha\n", aHosts);
        Assert.Contains($"{eb.IPAddress}\tbeta db\n", aHosts); // written into alpha's file when beta joined
        Assert.Equal(inode, Inode(Path.Combine(aDir, "hosts"))); // in place: a bind mount keeps seeing it
        Assert.Contains($"{ea.IPAddress}\talpha-host alpha\n", File.ReadAllText(Path.Combine(bDir, "hosts")));
        Assert.StartsWith("127.0.0.1\tlocalhost\n", aHosts);

        Assert.Contains("1 packets received", InContainer(a, aDir, "busybox ping -c1 -W3 beta").Out);
        Assert.Contains("1 packets received", InContainer(b, bDir, "busybox ping -c1 -W3 alpha").Out);

        var www = FilesDir();
        File.WriteAllText(Path.Combine(www, "index.html"), "beta says hi\n");
        _bed.StartIn(b, "busybox", "httpd", "-f", "-p", "8080", "-h", www);
        var got = InContainer(a, aDir, "sh -c \"for i in \\$(seq 50); do busybox wget -qO- http://db:8080/index.html && exit 0; sleep 0.1; done; exit 1\"");
        Assert.True(got.Code == 0, got.Out);
        Assert.Equal("beta says hi\n", got.Out);

        // Leaving the network takes the name out of the peers' files.
        Net.DestroySandbox(b.ContainerId);
        Assert.DoesNotContain("beta", File.ReadAllText(Path.Combine(aDir, "hosts")));
    }

    [Fact]
    public void Default_bridge_does_not_resolve_peers()
    {
        var a = _bed.Sandbox();
        var b = _bed.Sandbox();
        Net.Connect(a.ContainerId, "bridge", new ConnectRequest { ContainerName = "one" });
        Net.Connect(b.ContainerId, "bridge", new ConnectRequest { ContainerName = "two" });
        var dir = FilesDir();
        Net.WriteContainerFiles(a.ContainerId, dir);
        Assert.DoesNotContain("two", File.ReadAllText(Path.Combine(dir, "hosts")));
        Assert.Contains("one", File.ReadAllText(Path.Combine(dir, "hosts")));
    }

    [Fact]
    public void Create_list_inspect_remove_prune()
    {
        var created = Net.Create(new NetworkCreateRequest
        {
            Name = $"n1{_bed.Tag}", Subnet = "10.233.7.0/24", Gateway = "10.233.7.254", Labels = { ["team"] = "net" },
        });
        Assert.Equal(64, created.Id.Length);
        Assert.Equal("10.233.7.0/24", created.IPAM.Config[0].Subnet);
        Assert.Equal("10.233.7.254", created.IPAM.Config[0].Gateway);
        var bridge = created.Options.GetValueOrDefault("com.docker.network.bridge.name") ?? "skbr-" + created.Id[..10];
        Assert.Contains("inet 10.233.7.254/24", Sh.Ok($"ip -o addr show skbr-{created.Id[..10]}"));

        var picked = Net.Create(new NetworkCreateRequest { Name = $"n2{_bed.Tag}", Internal = true });
        Assert.StartsWith(_bed.Options.Pool[..^5], picked.IPAM.Config[0].Subnet); // first /28 of the test pool
        Assert.True(picked.Internal);

        var names = Net.List().Select(n => n.Name).ToList();
        Assert.Equal(["bridge", $"n1{_bed.Tag}", $"n2{_bed.Tag}", "host", "none"], names);
        Assert.Equal(created.Id, Net.Get(created.Id[..8]).Id);
        Assert.Equal("net", Net.Get($"n1{_bed.Tag}").Labels["team"]);

        Assert.Equal(EngineErrorKind.Conflict, Assert.Throws<EngineException>(() => Net.Create(new NetworkCreateRequest { Name = $"n1{_bed.Tag}" })).Kind);
        Assert.Contains("overlaps", Assert.Throws<EngineException>(() => Net.Create(new NetworkCreateRequest { Name = "x" + _bed.Tag, Subnet = "10.233.7.128/25" })).Message);
        Assert.Contains("host bits", Assert.Throws<EngineException>(() => Net.Create(new NetworkCreateRequest { Name = "y" + _bed.Tag, Subnet = "10.233.8.1/24" })).Message);
        Assert.Contains("not a host address", Assert.Throws<EngineException>(() => Net.Create(new NetworkCreateRequest { Name = "z" + _bed.Tag, Subnet = "10.233.9.0/24", Gateway = "10.233.10.1" })).Message);
        Assert.Contains("pre-defined", Assert.Throws<EngineException>(() => Net.Remove("bridge")).Message);
        Assert.Contains("not found", Assert.Throws<EngineException>(() => Net.Get("nosuch")).Message);
        Assert.Equal(5, Net.List().Count); // nothing half-made by the failures

        Net.Remove(created.Name);
        Assert.DoesNotContain(bridge, Sh.Links(_bed));
        Assert.DoesNotContain("10.233.7.0/24", Sh.Ok($"nft list set ip {_bed.Options.NftTable} subnets"));
        Assert.Equal([$"n2{_bed.Tag}"], Net.Prune());
        Assert.Equal(["bridge", "host", "none"], Net.List().Select(n => n.Name));
    }

    [Fact]
    public void Removing_a_network_with_endpoints_is_refused()
    {
        var net = Net.Create(new NetworkCreateRequest { Name = $"busy{_bed.Tag}" });
        var s = _bed.Sandbox();
        Net.Connect(s.ContainerId, net.Name, new ConnectRequest { ContainerName = "holder" });
        var e = Assert.Throws<EngineException>(() => Net.Remove(net.Name));
        Assert.Equal(EngineErrorKind.Conflict, e.Kind);
        Assert.Contains("has active endpoints (holder)", e.Message);
        Assert.Empty(Net.Prune());
        Net.DestroySandbox(s.ContainerId);
        Net.Remove(net.Name);
        Assert.DoesNotContain($"skbr-{net.Id[..10]}", Sh.Links(_bed));
    }

    [Fact]
    public void Ipam_exhaustion_is_an_error_and_released_addresses_are_reused()
    {
        var net = Net.Create(new NetworkCreateRequest { Name = $"tiny{_bed.Tag}", Subnet = "10.233.20.0/29" }); // .1 gateway, .2-.6 hosts
        var sandboxes = Enumerable.Range(0, 6).Select(_ => _bed.Sandbox()).ToList();
        var ips = sandboxes.Take(5).Select(s => Net.Connect(s.ContainerId, net.Name, new ConnectRequest()).IPAddress).ToList();
        Assert.Equal(["10.233.20.2", "10.233.20.3", "10.233.20.4", "10.233.20.5", "10.233.20.6"], ips);
        var links = Sh.Links(_bed);
        var e = Assert.Throws<EngineException>(() => Net.Connect(sandboxes[5].ContainerId, net.Name, new ConnectRequest()));
        Assert.Contains("no available IPv4 addresses", e.Message);
        Assert.Equal(links, Sh.Links(_bed));

        Net.DestroySandbox(sandboxes[2].ContainerId);
        Assert.Equal("10.233.20.4", Net.Connect(sandboxes[5].ContainerId, net.Name, new ConnectRequest()).IPAddress);
    }

    [Fact]
    public void Second_network_gets_eth1_and_internal_network_has_no_route_out()
    {
        var inner = Net.Create(new NetworkCreateRequest { Name = $"in{_bed.Tag}", Internal = true });
        var s = _bed.Sandbox();
        var e0 = Net.Connect(s.ContainerId, "bridge", new ConnectRequest());
        var e1 = Net.Connect(s.ContainerId, inner.Name, new ConnectRequest());
        Assert.Equal("eth0", e0.Interface);
        Assert.Equal("eth1", e1.Interface);
        Assert.Equal("", e1.Gateway);
        var routes = Sh.Ok($"nsenter --net={s.Path} ip route");
        Assert.Contains($"default via {e0.Gateway} dev eth0", routes);
        Assert.DoesNotContain("dev eth1 proto", routes.Split('\n').First(l => l.StartsWith("default")));
        var table = Sh.Ok($"nft list table ip {_bed.Options.NftTable}");
        Assert.Contains($"\"skbr-{inner.Id[..10]}\" . \"skbr-{inner.Id[..10]}\"", table);
        Net.Disconnect(s.ContainerId, inner.Name);
        Assert.DoesNotContain("eth1", Sh.Ok($"nsenter --net={s.Path} ip -o link show"));
    }

    static long Inode(string path) => (long)Skiff.Linux.Files.StatAt(Skiff.Linux.Files.AT_FDCWD, path, 0).Ino;
}
