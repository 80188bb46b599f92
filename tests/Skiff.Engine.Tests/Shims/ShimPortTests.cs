using System.Net;
using System.Net.Sockets;
using Skiff.Engine.Shims;
using Skiff.Linux;
using Skiff.Shim.Protocol;

namespace Skiff.Engine.Tests.Shims;

[Collection("shim")]
public class ShimPortTests
{
    static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    static bool CanBind(int port)
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try { s.Bind(new IPEndPoint(IPAddress.Loopback, port)); return true; }
        catch (SocketException) { return false; }
    }

    [Fact]
    public void Held_ports_stay_bound_while_the_shim_lives()
    {
        int port = FreePort();
        using var c = new ShimContainer("oar", "/bin/sleep", "1000");
        c.Config.HeldPorts = [new HeldPort { Proto = "tcp", HostIp = "127.0.0.1", HostPort = port }];
        var started = c.Start();
        Assert.False(CanBind(port));
        Processes.Signal(started.ContainerPid, Processes.SIGKILL);
        c.WaitForFinalExit();
        Assert.True(CanBind(port));
    }

    [Fact]
    public void A_port_already_bound_is_a_start_error_and_nothing_runs()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;
        using var c = new ShimContainer("oar", "/bin/sleep", "1000");
        c.Config.HeldPorts = [new HeldPort { Proto = "tcp", HostIp = "127.0.0.1", HostPort = port }];
        var e = Assert.Throws<ShimStartException>(() => c.Start());
        Assert.Contains($"127.0.0.1:{port}", e.Message);
        Assert.Contains("EADDRINUSE", e.Message);
        Assert.Null(c.State);
        Assert.NotEqual(0, c.RunRuntime("state", c.Id).Code);
    }
}
