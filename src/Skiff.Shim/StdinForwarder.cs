using System.Runtime.InteropServices;
using Skiff.Linux;

namespace Skiff.Shim;

/// <summary>
/// Copies attach clients' input to the container's stdin (pipe or pty master, non-blocking). When the container
/// does not read, the unwritten rest waits here and clients are not read until it drains (POLLOUT on stdin), so
/// the shim never blocks and never buffers more than one chunk.
/// </summary>
sealed unsafe class StdinForwarder : IDisposable
{
    const int ChunkSize = 4096;
    byte* chunk;
    int pending, offset;

    /// <summary>The fd input goes to, or -1 when the container has no open stdin.</summary>
    public int Target { get; set; } = -1;
    public bool HasPending => pending > offset;

    /// <summary>Reads one chunk from a client. Returns bytes read, 0 at EOF, or -errno.
    /// Input from clients not attached to stdin, or with no open stdin, is read and dropped.</summary>
    public int ReadFrom(int client, bool forward)
    {
        if (chunk is null) chunk = (byte*)NativeMemory.Alloc(ChunkSize);
        int n = Sockets.ReceiveNow(client, chunk, ChunkSize);
        if (n <= 0) return n;
        if (!forward || Target < 0) return n;
        pending = n; offset = 0;
        Flush();
        return n;
    }

    /// <summary>Writes what is pending (stdin became writable).</summary>
    public void Flush()
    {
        while (HasPending)
        {
            if (Target < 0) { pending = offset = 0; return; }
            int w = Files.WriteSome(Target, chunk + offset, pending - offset);
            if (w == -Errno.EAGAIN) return;
            if (w < 0) { pending = offset = 0; return; } // EPIPE: nobody reads stdin any more
            offset += w;
        }
        pending = offset = 0;
    }

    public void Dispose()
    {
        if (chunk is not null) { NativeMemory.Free(chunk); chunk = null; }
    }
}
