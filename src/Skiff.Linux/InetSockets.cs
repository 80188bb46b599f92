using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Skiff.Linux;

public static unsafe partial class Sockets
{
    public const int AF_INET = 2, AF_INET6 = 10;

    /// <summary>A TCP or UDP socket bound to <paramref name="address"/>:<paramref name="port"/> (not listening):
    /// it reserves the port on the host for as long as the fd is open.</summary>
    public static Fd BindInet(bool udp, IPAddress address, int port)
    {
        bool v6 = address.AddressFamily == AddressFamily.InterNetworkV6;
        int fd = socket(v6 ? AF_INET6 : AF_INET, (udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0);
        if (fd < 0) throw LinuxException.FromLastError("socket");
        byte* sa = stackalloc byte[28];
        new Span<byte>(sa, 28).Clear();
        uint len;
        if (v6)
        {
            *(ushort*)sa = AF_INET6;
            *(ushort*)(sa + 2) = (ushort)IPAddress.HostToNetworkOrder((short)port);
            address.TryWriteBytes(new Span<byte>(sa + 8, 16), out _);
            *(uint*)(sa + 24) = (uint)address.ScopeId;
            len = 28;
        }
        else
        {
            *(ushort*)sa = AF_INET;
            *(ushort*)(sa + 2) = (ushort)IPAddress.HostToNetworkOrder((short)port);
            address.TryWriteBytes(new Span<byte>(sa + 4, 4), out _);
            len = 16;
        }
        if (bind(fd, sa, len) != 0)
        {
            int e = Marshal.GetLastPInvokeError();
            Native.close(fd);
            throw new LinuxException("bind", null, e, $"{(udp ? "udp" : "tcp")} {address}:{port}");
        }
        return new Fd(fd);
    }
}
