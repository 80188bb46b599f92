using System.Buffers.Binary;
using System.Text.Json;
using Skiff.Linux;
using Skiff.Shim.Protocol;

namespace Skiff.Shim;

/// <summary>
/// The attach socket and its clients. Each client first sends an <see cref="AttachRequest"/> line; then it gets
/// the streams it asked for — each chunk behind docker's 8-byte stdcopy header (stream, 0, 0, 0, big-endian
/// length) without a terminal, raw with one — and what it writes goes to the container's stdin. A client whose
/// socket stays full for 10 s is dropped rather than stall the container's output.
/// </summary>
sealed unsafe class AttachHub : IDisposable
{
    const int MaxClients = 64;

    struct Client { public int Fd; public bool Stdin, Stdout, Stderr, Reading; }

    readonly Client[] clients = new Client[MaxClients];
    int count;
    Fd listener;
    readonly bool terminal;

    public AttachHub(string path, bool terminal)
    {
        listener = SocketPath.Listen(path);
        this.terminal = terminal;
    }

    public int Listener => listener.Value;
    public int Count => count;

    /// <summary>Accepts one client and reads its request line (waiting at most 5 s for it).</summary>
    public void Accept()
    {
        var conn = Sockets.Accept(listener.Value);
        try
        {
            var line = ReadLine(conn.Value, 5000);
            var request = line is null ? null : JsonSerializer.Deserialize(line, ShimJson.Default.AttachRequest);
            if (request is null || count == MaxClients) { conn.Dispose(); return; }
            Sockets.SetSendTimeout(conn.Value, 10_000);
            clients[count++] = new Client { Fd = conn.Release(), Stdin = request.Stdin, Stdout = request.Stdout, Stderr = request.Stderr, Reading = true };
        }
        catch (JsonException) { conn.Dispose(); }
        catch (LinuxException) { conn.Dispose(); }
    }

    /// <summary>Reads up to a newline byte by byte, so nothing after it (stdin data) is consumed.</summary>
    internal static byte[]? ReadLine(int fd, int timeoutMs)
    {
        var line = new List<byte>(128);
        byte b;
        while (line.Count < 4096)
        {
            if (!Poll.Readable(fd, timeoutMs)) return null;
            if (Files.ReadSome(fd, &b, 1) != 1) return null;
            if (b == '\n') return [.. line];
            line.Add(b);
        }
        return null;
    }

    /// <summary>Sends container output to every client that asked for <paramref name="stream"/>.</summary>
    public void Broadcast(byte stream, byte* data, int length)
    {
        if (count == 0) return;
        byte* header = stackalloc byte[8];
        *(ulong*)header = 0;
        header[0] = stream;
        BinaryPrimitives.WriteUInt32BigEndian(new Span<byte>(header + 4, 4), (uint)length);
        for (int i = count - 1; i >= 0; i--)
        {
            ref var c = ref clients[i];
            if (stream == StdStream.Stderr ? !c.Stderr : !c.Stdout) continue;
            int r = terminal ? 0 : Sockets.SendAll(c.Fd, header, 8);
            if (r == 0) r = Sockets.SendAll(c.Fd, data, length);
            if (r != 0) Remove(i);
        }
    }

    /// <summary>Adds a poll entry per client (POLLIN while it may still send stdin and <paramref name="acceptInput"/>,
    /// else only hang-ups). Returns the new count.</summary>
    public int AddPollEntries(Poll.Entry* set, int at, bool acceptInput)
    {
        for (int i = 0; i < count; i++)
            set[at++] = new Poll.Entry { Fd = clients[i].Fd, Events = clients[i].Reading && acceptInput ? Poll.POLLIN : (short)0 };
        return at;
    }

    /// <summary>Handles client <paramref name="index"/>'s poll result: input goes to <paramref name="input"/>.
    /// Returns true when a stdin-attached client stopped sending (EOF or gone): the StdinOnce moment.</summary>
    public bool OnClient(int index, short revents, StdinForwarder input)
    {
        ref var c = ref clients[index];
        if ((revents & Poll.POLLIN) != 0 && c.Reading)
        {
            int n = input.ReadFrom(c.Fd, c.Stdin);
            if (n > 0) return false;
            if (n == -Errno.EAGAIN) return false;
            c.Reading = false; // EOF: the client half-closed; it still receives output
            if (n < 0) { bool stdin = c.Stdin; Remove(index); return stdin; }
            return c.Stdin;
        }
        if ((revents & (Poll.POLLHUP | Poll.POLLERR | Poll.POLLNVAL)) != 0)
        {
            bool stdin = c.Stdin && c.Reading;
            Remove(index);
            return stdin;
        }
        return false;
    }

    void Remove(int i)
    {
        Files.Close(clients[i].Fd);
        clients[i] = clients[--count];
        clients[count] = default;
    }

    /// <summary>Ends every attach session (the container exited): clients see EOF.</summary>
    public void CloseClients()
    {
        while (count > 0) Remove(count - 1);
    }

    public void Dispose()
    {
        CloseClients();
        listener.Dispose();
    }
}
