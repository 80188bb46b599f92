using System.Net.Sockets;
using Skiff.Linux;

namespace Skiff.Runtime.Seccomp;

/// <summary>
/// Hands the SCMP_ACT_NOTIFY listener to the seccomp agent at <c>linux.seccomp.listenerPath</c>
/// (runtime-spec "The Container Process State"): one AF_UNIX stream connection per container process, the
/// listener passed with SCM_RIGHTS alongside the state JSON (whose <c>fds</c> is <c>["seccompFd"]</c>) in
/// the first and only sendmsg, then the connection is closed.
/// </summary>
public static class SeccompNotify
{
    public static void SendListener(string listenerPath, int listenerFd, ReadOnlySpan<byte> stateJson)
    {
        if (string.IsNullOrEmpty(listenerPath)) throw new ArgumentException("listenerPath is empty", nameof(listenerPath));
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try { socket.Connect(new UnixDomainSocketEndPoint(listenerPath)); }
        catch (SocketException e) { throw new LinuxException("connect", listenerPath, ToErrno(e), "seccomp listenerPath"); }
        Sockets.SendFd((int)socket.Handle, listenerFd, stateJson);
    }

    static int ToErrno(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.AccessDenied => Errno.EACCES,
        SocketError.ConnectionRefused => Errno.ECONNREFUSED,
        SocketError.AddressNotAvailable or SocketError.AddressFamilyNotSupported => Errno.ENOENT,
        SocketError.TimedOut => Errno.ETIMEDOUT,
        _ => Errno.ECONNREFUSED,
    };
}
