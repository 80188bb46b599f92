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
        using var socket = Sockets.ConnectUnix(listenerPath);
        Sockets.SendFd(socket.Value, listenerFd, stateJson);
    }
}
