using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Skiff.Linux.Netlink;

/// <summary>
/// A NETLINK_ROUTE socket. It talks to the network namespace it was opened in, whichever thread uses it later, so
/// a socket opened once inside a container's namespace configures that namespace from any thread.
/// Every request asks for an ack; an NLMSG_ERROR becomes a <see cref="LinuxException"/> naming the operation and link.
/// </summary>
public sealed unsafe partial class NetlinkSocket : IDisposable
{
    [LibraryImport("libc", SetLastError = true)] private static partial int socket(int domain, int type, int protocol);
    [LibraryImport("libc", SetLastError = true)] private static partial int bind(int fd, byte* addr, uint len);
    [LibraryImport("libc", SetLastError = true)] private static partial nint send(int fd, byte* buf, nint len, int flags);
    [LibraryImport("libc", SetLastError = true)] private static partial nint recv(int fd, byte* buf, nint len, int flags);

    const int SOCK_RAW = 3, SOCK_CLOEXEC = 0x80000;
    Fd _fd;
    uint _seq;
    readonly byte[] _recv = new byte[32768];
    readonly Lock _lock = new();

    NetlinkSocket(Fd fd) => _fd = fd;

    /// <summary>Opens a route socket in the calling thread's network namespace.</summary>
    public static NetlinkSocket Open()
    {
        int fd = socket(Rtnl.AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, Rtnl.NETLINK_ROUTE);
        if (fd < 0) throw LinuxException.FromLastError("socket", null, "AF_NETLINK");
        byte* addr = stackalloc byte[12];
        new Span<byte>(addr, 12).Clear();
        *(ushort*)addr = Rtnl.AF_NETLINK;
        if (bind(fd, addr, 12) != 0)
        {
            var ex = LinuxException.FromLastError("bind", null, "AF_NETLINK");
            Files.Close(fd);
            throw ex;
        }
        return new NetlinkSocket(new Fd(fd));
    }

    /// <summary>Sends <paramref name="message"/> and waits for its ack; errors name <paramref name="operation"/> and <paramref name="link"/>.</summary>
    public void Request(NetlinkMessage message, string operation, string? link)
        => Exchange(message, operation, link, null);

    /// <summary>Sends a request that is answered with one message (e.g. RTM_GETLINK) and returns that message's payload.</summary>
    public byte[] Query(NetlinkMessage message, string operation, string? link)
    {
        byte[]? reply = null;
        Exchange(message, operation, link, payload => reply = payload);
        return reply ?? throw new LinuxException(operation, link, Errno.ENODATA, "no netlink reply");
    }

    void Exchange(NetlinkMessage message, string operation, string? link, Action<byte[]>? onReply)
    {
        lock (_lock)
        {
            uint seq = ++_seq;
            var bytes = message.Finish(seq);
            fixed (byte* p = bytes)
            {
                while (send(_fd.Value, p, bytes.Length, 0) < 0)
                {
                    int e = Marshal.GetLastPInvokeError();
                    if (e != Errno.EINTR) throw new LinuxException(operation, link, e, "netlink send");
                }
            }
            while (true)
            {
                nint n;
                fixed (byte* p = _recv) n = recv(_fd.Value, p, _recv.Length, 0);
                if (n < 0)
                {
                    int e = Marshal.GetLastPInvokeError();
                    if (e == Errno.EINTR) continue;
                    throw new LinuxException(operation, link, e, "netlink recv");
                }
                int off = 0;
                while (off + 16 <= n)
                {
                    var h = _recv.AsSpan(off);
                    int len = (int)BinaryPrimitives.ReadUInt32LittleEndian(h);
                    ushort type = BinaryPrimitives.ReadUInt16LittleEndian(h[4..]);
                    uint mseq = BinaryPrimitives.ReadUInt32LittleEndian(h[8..]);
                    if (len < 16 || off + len > n) throw new LinuxException(operation, link, Errno.EIO, "malformed netlink reply");
                    if (mseq == seq)
                    {
                        if (type == Rtnl.NLMSG_ERROR)
                        {
                            int err = -BinaryPrimitives.ReadInt32LittleEndian(h[16..]);
                            if (err != 0) throw new LinuxException(operation, link, err);
                            return;
                        }
                        if (type == Rtnl.NLMSG_DONE) return;
                        onReply?.Invoke(h[16..len].ToArray());
                    }
                    off += NetlinkMessage.Align(len);
                }
            }
        }
    }

    public void Dispose() => _fd.Dispose();
}
