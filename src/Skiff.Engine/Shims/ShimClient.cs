using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Skiff.Shim.Protocol;

namespace Skiff.Engine.Shims;

/// <summary>
/// Talks to a running shim over its sockets: <see cref="Attach"/> for streams, and the control commands
/// (<see cref="Stop"/>, <see cref="Resize"/>, <see cref="CloseStdin"/>). Paths longer than a unix socket address
/// are reached through <c>/proc/self/fd/&lt;dir fd&gt;/&lt;name&gt;</c>, as the shim binds them.
/// </summary>
public sealed class ShimClient(string attachSocketPath, string controlSocketPath)
{
    public ShimClient(ShimConfig config) : this(config.AttachSocketPath, config.ControlSocketPath) { }

    /// <summary>Opens an attach session. Output arrives on the returned stream (stdcopy frames without a terminal,
    /// raw with one — <see cref="ShimAttach.ReadFrame"/> reads frames); writes go to the container's stdin.</summary>
    public ShimAttach Attach(AttachRequest request)
    {
        var socket = Connect(attachSocketPath);
        try
        {
            var line = JsonSerializer.SerializeToUtf8Bytes(request, ShimJson.Default.AttachRequest);
            socket.Send([.. line, (byte)'\n']);
            return new ShimAttach(socket);
        }
        catch { socket.Dispose(); throw; }
    }

    /// <summary>No more restarts; the next exit of the container is final.</summary>
    public void Stop() => Control(ControlCommands.Stop);

    public void Resize(int rows, int cols) => Control($"{ControlCommands.Resize} {rows} {cols}");

    public void CloseStdin() => Control(ControlCommands.CloseStdin);

    void Control(string command)
    {
        using var socket = Connect(controlSocketPath);
        socket.Send(Encoding.UTF8.GetBytes(command + "\n"));
        var reply = new List<byte>();
        var buf = new byte[512];
        int n;
        while ((n = socket.Receive(buf)) > 0) { reply.AddRange(buf.AsSpan(0, n)); if (buf.AsSpan(0, n).Contains((byte)'\n')) break; }
        var text = Encoding.UTF8.GetString(reply.ToArray()).Trim();
        if (text == "ok") return;
        throw new InvalidOperationException(text.StartsWith("error ", StringComparison.Ordinal)
            ? $"shim {command.Split(' ')[0]}: {text[6..]}"
            : $"shim {command.Split(' ')[0]}: no answer (the shim has exited?)");
    }

    static Socket Connect(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            if (Encoding.UTF8.GetByteCount(path) < 108) socket.Connect(new UnixDomainSocketEndPoint(path));
            else
            {
                using var dir = Skiff.Linux.Files.Open(Path.GetDirectoryName(path)!, Skiff.Linux.Files.O_PATH | Skiff.Linux.Files.O_DIRECTORY);
                socket.Connect(new UnixDomainSocketEndPoint($"/proc/self/fd/{dir.Value}/{Path.GetFileName(path)}"));
            }
            return socket;
        }
        catch { socket.Dispose(); throw; }
    }
}

/// <summary>One attach session: the socket, a stream over it, and docker stdcopy frame reading.</summary>
public sealed class ShimAttach : IDisposable
{
    internal ShimAttach(Socket socket) { Socket = socket; Stream = new NetworkStream(socket, ownsSocket: false); }

    public Socket Socket { get; }
    public Stream Stream { get; }

    /// <summary>Ends this client's stdin (half-close); with StdinOnce the container's stdin closes too. Output
    /// keeps coming until the container exits.</summary>
    public void CloseInput() => Socket.Shutdown(SocketShutdown.Send);

    /// <summary>Reads one stdcopy frame (non-terminal containers): the stream id (1 stdout, 2 stderr) and its
    /// bytes; null at the end of the session.</summary>
    public (byte Stream, byte[] Data)? ReadFrame()
    {
        var header = new byte[8];
        if (!ReadExactly(header)) return null;
        int length = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
        var data = new byte[length];
        if (!ReadExactly(data)) return null;
        return (header[0], data);
    }

    bool ReadExactly(byte[] buffer)
    {
        int off = 0;
        while (off < buffer.Length)
        {
            int n = Stream.Read(buffer, off, buffer.Length - off);
            if (n == 0) return false;
            off += n;
        }
        return true;
    }

    public void Dispose()
    {
        Stream.Dispose();
        Socket.Dispose();
    }
}
