using System.Runtime.InteropServices;

namespace Skiff.Linux;

/// <summary>Unix socket pairs and fd passing (SCM_RIGHTS).</summary>
public static unsafe partial class Sockets
{
    public const int AF_UNIX = 1, SOCK_STREAM = 1, SOCK_DGRAM = 2, SOCK_SEQPACKET = 5, SOCK_CLOEXEC = 0x80000;

    [LibraryImport("libc", SetLastError = true)] private static partial int socketpair(int domain, int type, int protocol, int* sv);
    [LibraryImport("libc", SetLastError = true)] private static partial nint sendmsg(int fd, MsgHdr* msg, int flags);
    [LibraryImport("libc", SetLastError = true)] private static partial nint recvmsg(int fd, MsgHdr* msg, int flags);

    [LibraryImport("libc", SetLastError = true)] private static partial int socket(int domain, int type, int protocol);
    [LibraryImport("libc", SetLastError = true)] private static partial int connect(int fd, byte* addr, uint len);

    [LibraryImport("libc", SetLastError = true)] private static partial int bind(int fd, byte* addr, uint len);
    [LibraryImport("libc", SetLastError = true)] private static partial int listen(int fd, int backlog);
    [LibraryImport("libc", SetLastError = true)] private static partial int accept4(int fd, void* addr, void* len, int flags);

    static uint UnixAddress(string path, byte* addr)
    {
        var name = System.Text.Encoding.UTF8.GetBytes(path);
        if (name.Length >= 108) throw new LinuxException("socket address", path, Errno.ENAMETOOLONG);
        new Span<byte>(addr, 110).Clear();
        *(ushort*)addr = AF_UNIX;
        name.CopyTo(new Span<byte>(addr + 2, 108));
        return (uint)(2 + name.Length + 1);
    }

    /// <summary>A listening SOCK_STREAM unix socket at <paramref name="path"/>.</summary>
    public static Fd ListenUnix(string path, int backlog = 16)
    {
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) throw LinuxException.FromLastError("socket");
        byte* addr = stackalloc byte[110];
        uint len = UnixAddress(path, addr);
        if (bind(fd, addr, len) != 0 || listen(fd, backlog) != 0)
        {
            var ex = LinuxException.FromLastError("bind/listen", path);
            Native.close(fd);
            throw ex;
        }
        return new Fd(fd);
    }

    public static Fd Accept(int listener)
    {
        int fd = accept4(listener, null, null, SOCK_CLOEXEC);
        if (fd < 0) throw LinuxException.FromLastError("accept");
        return new Fd(fd);
    }

    /// <summary>Connects a SOCK_STREAM unix socket to <paramref name="path"/> (e.g. a --console-socket).</summary>
    public static Fd ConnectUnix(string path)
    {
        byte* addr = stackalloc byte[110];
        uint len = UnixAddress(path, addr);
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) throw LinuxException.FromLastError("socket");
        if (connect(fd, addr, len) != 0)
        {
            var ex = LinuxException.FromLastError("connect", path);
            Native.close(fd);
            throw ex;
        }
        return new Fd(fd);
    }

    public static (Fd A, Fd B) Pair(int type = SOCK_SEQPACKET)
    {
        int* sv = stackalloc int[2];
        if (socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, sv) != 0) throw LinuxException.FromLastError("socketpair");
        return (new Fd(sv[0]), new Fd(sv[1]));
    }

    [StructLayout(LayoutKind.Sequential)] struct IoVec { public void* Base; public nuint Len; }
    [StructLayout(LayoutKind.Sequential)]
    struct MsgHdr { public void* Name; public uint NameLen; public IoVec* Iov; public nuint IovLen; public void* Control; public nuint ControlLen; public int Flags; }
    [StructLayout(LayoutKind.Sequential)] struct CmsgHdr { public nuint Len; public int Level; public int Type; }

    /// <summary>Sends <paramref name="payload"/> with <paramref name="fd"/> attached as SCM_RIGHTS.</summary>
    public static void SendFd(int socket, int fd, ReadOnlySpan<byte> payload)
    {
        byte* control = stackalloc byte[32];
        new Span<byte>(control, 32).Clear();
        var cm = (CmsgHdr*)control;
        cm->Len = (nuint)(sizeof(CmsgHdr) + sizeof(int));
        cm->Level = 1; // SOL_SOCKET
        cm->Type = 1;  // SCM_RIGHTS
        *(int*)(control + sizeof(CmsgHdr)) = fd;
        fixed (byte* p = payload)
        {
            byte dummy = 0;
            var iov = new IoVec { Base = payload.Length > 0 ? p : &dummy, Len = (nuint)Math.Max(payload.Length, 1) };
            var msg = new MsgHdr { Iov = &iov, IovLen = 1, Control = control, ControlLen = (nuint)(sizeof(CmsgHdr) + 8) };
            if (sendmsg(socket, &msg, 0x4000 /* MSG_NOSIGNAL */) < 0) throw LinuxException.FromLastError("sendmsg", null, "SCM_RIGHTS");
        }
    }

    /// <summary>Receives a message and, if present, one fd passed with SCM_RIGHTS (returned O_CLOEXEC).</summary>
    [LibraryImport("libc", SetLastError = true)] private static partial nint recv(int fd, byte* buf, nuint len, int flags);

    /// <summary>The size of the next datagram/seqpacket message without consuming it (MSG_PEEK|MSG_TRUNC).</summary>
    public static int PeekLength(int socket)
    {
        byte b;
        while (true)
        {
            nint n = recv(socket, &b, 1, 0x02 /* MSG_PEEK */ | 0x20 /* MSG_TRUNC */);
            if (n >= 0) return (int)n;
            int e = Marshal.GetLastPInvokeError();
            if (e != Errno.EINTR) throw new LinuxException("recv", null, e, "MSG_PEEK");
        }
    }

    public static int ReceiveFd(int socket, Span<byte> payload, out Fd fd)
    {
        byte* control = stackalloc byte[64];
        fixed (byte* p = payload)
        {
            var iov = new IoVec { Base = p, Len = (nuint)payload.Length };
            var msg = new MsgHdr { Iov = &iov, IovLen = 1, Control = control, ControlLen = 64 };
            nint n = recvmsg(socket, &msg, 0x40000000 /* MSG_CMSG_CLOEXEC */);
            if (n < 0) throw LinuxException.FromLastError("recvmsg");
            fd = Fd.None;
            if (msg.ControlLen >= (nuint)sizeof(CmsgHdr))
            {
                var cm = (CmsgHdr*)control;
                if (cm->Level == 1 && cm->Type == 1) fd = new Fd(*(int*)(control + sizeof(CmsgHdr)));
            }
            return (int)n;
        }
    }
}
