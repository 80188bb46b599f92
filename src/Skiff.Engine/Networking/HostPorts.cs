using System.Net;
using System.Net.Sockets;

namespace Skiff.Engine.Networking;

/// <summary>
/// Checks that a host port is free by binding it (the way docker-proxy finds a taken port), and picks a free one for
/// HostPort 0. The socket is closed again: the container's shim binds and holds the port for the container's life
/// (ShimConfig.HeldPorts), and until then the network store's lock and nft's `create element` keep two containers
/// from taking the same port.
/// </summary>
static class HostPorts
{
    public static int Probe(PortBinding p)
    {
        var address = p.AnyHostIp ? IPAddress.Any : IPAddress.Parse(p.HostIp);
        bool tcp = p.Proto == "tcp";
        using var s = new Socket(AddressFamily.InterNetwork, tcp ? SocketType.Stream : SocketType.Dgram, tcp ? ProtocolType.Tcp : ProtocolType.Udp);
        s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        try
        {
            s.Bind(new IPEndPoint(address, p.HostPort));
            if (tcp) s.Listen(1);
        }
        catch (SocketException e)
        {
            var where = $"{(p.AnyHostIp ? "0.0.0.0" : p.HostIp)}:{p.HostPort}";
            var why = e.SocketErrorCode switch
            {
                SocketError.AddressAlreadyInUse => "address already in use",
                SocketError.AddressNotAvailable => "cannot assign requested address (not an address of this host)",
                SocketError.AccessDenied => "permission denied",
                _ => e.Message,
            };
            throw EngineException.Conflict($"driver failed programming external connectivity: Bind for {where}/{p.Proto} failed: {why}");
        }
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }
}
