using Skiff.Linux;
using Skiff.Linux.Netlink;

namespace Skiff.Engine.Tests.Networking;

/// <summary>rtnetlink requests checked with `ip` (iproute2), inside throwaway namespaces so the host is untouched.</summary>
[Collection("Networking")]
public class NetlinkTests : IDisposable
{
    readonly string _dir = $"/run/skiff-test-network/nl-{Guid.NewGuid():N}"[..48];
    readonly string _a, _b;

    public NetlinkTests()
    {
        Directory.CreateDirectory(_dir);
        _a = Path.Combine(_dir, "a");
        _b = Path.Combine(_dir, "b");
        NetworkNamespace.Create(_a);
        NetworkNamespace.Create(_b);
    }

    public void Dispose()
    {
        NetworkNamespace.Remove(_a);
        NetworkNamespace.Remove(_b);
        Directory.Delete(_dir, true);
    }

    string In(string ns, string cmd) => Sh.Ok($"nsenter --net={ns} {cmd}");

    [Fact]
    public void New_namespace_has_only_loopback_and_it_is_up()
    {
        Assert.True(NetworkNamespace.IsMounted(_a));
        var links = In(_a, "ip -o link show");
        Assert.Single(links.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("lo: <LOOPBACK,UP,LOWER_UP>", links);
        Assert.Contains("PING", In(_a, "busybox ping -c1 -W2 127.0.0.1"));
    }

    [Fact]
    public void Bridge_veth_into_other_namespace_address_route_and_traffic()
    {
        using var a = NetworkNamespace.OpenSocket(_a);
        using var b = NetworkNamespace.OpenSocket(_b);
        a.CreateBridge("br-t", mtu: 1400);
        a.AddAddress("br-t", [10, 250, 0, 1], 24);
        a.SetUp("br-t");
        using (var bfd = NetworkNamespace.Open(_b))
            a.CreateVeth("vt-host", "eth0", bfd.Value, mtu: 1400, peerMac: [0x02, 0, 0, 0, 0, 0x42]);
        a.SetMaster("vt-host", "br-t");
        a.SetUp("vt-host");
        b.AddAddress("eth0", [10, 250, 0, 2], 24);
        b.SetUp("eth0");
        b.AddDefaultRoute([10, 250, 0, 1]);

        Assert.Contains("master br-t", In(_a, "ip -o link show vt-host"));
        Assert.Contains("mtu 1400", In(_a, "ip -o link show br-t"));
        var eth0 = In(_b, "ip -o link show eth0");
        Assert.Contains("02:00:00:00:00:42", eth0);
        Assert.Contains("mtu 1400", eth0);
        Assert.Contains("inet 10.250.0.2/24 brd 10.250.0.255", In(_b, "ip -o addr show eth0"));
        Assert.Contains("default via 10.250.0.1 dev eth0", In(_b, "ip route"));
        Assert.DoesNotContain("eth0", In(_a, "ip -o link show"));
        Assert.Contains("1 packets received", In(_b, "busybox ping -c1 -W2 10.250.0.1"));

        // Rename, MAC and MTU on a down link, then move it into the other namespace.
        a.CreateVeth("vt-x", "vt-y");
        a.Rename("vt-y", "vt-z");
        a.SetMac("vt-z", [0x02, 1, 2, 3, 4, 5]);
        a.SetMtu("vt-z", 1280);
        var z = In(_a, "ip -o link show vt-z");
        Assert.Contains("02:01:02:03:04:05", z);
        Assert.Contains("mtu 1280", z);
        using (var bfd = NetworkNamespace.Open(_b)) a.MoveToNamespace("vt-z", bfd.Value);
        Assert.Contains("vt-z", In(_b, "ip -o link show"));
        Assert.DoesNotContain("vt-z", In(_a, "ip -o link show"));

        a.DeleteLink("vt-host");
        Assert.False(a.Exists("vt-host"));
        Assert.False(b.Exists("eth0")); // deleting one end of a veth deletes the other
        Assert.False(a.TryDeleteLink("vt-host"));
    }

    [Fact]
    public void Kernel_errors_name_the_operation_the_link_and_the_errno()
    {
        using var a = NetworkNamespace.OpenSocket(_a);
        a.CreateBridge("br-dup");
        var dup = Assert.Throws<LinuxException>(() => a.CreateBridge("br-dup"));
        Assert.Equal(Errno.EEXIST, dup.Errno);
        Assert.Contains("create bridge br-dup: EEXIST", dup.Message);

        var missing = Assert.Throws<LinuxException>(() => a.SetUp("nosuchlink"));
        Assert.Contains("set link up nosuchlink: ENODEV", missing.Message);

        var master = Assert.Throws<LinuxException>(() => a.SetMaster("lo", "nosuchbr"));
        Assert.Contains("nosuchbr", master.Message);
        Assert.Throws<ArgumentException>(() => a.CreateBridge("a-name-longer-than-15"));
    }

    [Fact]
    public void Namespace_work_never_leaves_a_pool_thread_in_another_namespace()
    {
        var before = Files.ReadlinkAt(Files.AT_FDCWD, "/proc/thread-self/ns/net");
        Parallel.For(0, 20, _ => { using (NetworkNamespace.OpenSocket(_a)) { } });
        Parallel.For(0, 50, _ => Assert.Equal(before, Files.ReadlinkAt(Files.AT_FDCWD, "/proc/thread-self/ns/net")));
    }
}
