using System.Net;
using Skiff.Linux;
using Skiff.Shim.Protocol;

namespace Skiff.Shim;

/// <summary>Host ports the shim keeps bound (not listening) while it lives, so no other program or container can
/// take a port the container publishes; closed when the shim exits.</summary>
sealed class HeldPorts : IDisposable
{
    readonly List<Fd> fds = [];

    public static HeldPorts Bind(List<HeldPort> ports)
    {
        var held = new HeldPorts();
        try
        {
            foreach (var p in ports)
            {
                if (p.Proto is not ("tcp" or "udp")) throw new InvalidOperationException($"held port {p.HostPort}: protocol \"{p.Proto}\" is not tcp or udp");
                if (p.HostPort is < 1 or > 65535) throw new InvalidOperationException($"held port: {p.HostPort} is not a port number");
                var ip = p.HostIp.Length == 0 ? IPAddress.Any
                    : IPAddress.TryParse(p.HostIp, out var a) ? a : throw new InvalidOperationException($"held port {p.HostPort}: \"{p.HostIp}\" is not an IP address");
                held.fds.Add(Sockets.BindInet(p.Proto == "udp", ip, p.HostPort));
            }
            return held;
        }
        catch { held.Dispose(); throw; }
    }

    public void Dispose()
    {
        foreach (var fd in fds) { var f = fd; f.Dispose(); }
        fds.Clear();
    }
}
