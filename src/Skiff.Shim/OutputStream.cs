using System.Runtime.InteropServices;
using Skiff.Linux;
using Skiff.Shim.Protocol;

namespace Skiff.Shim;

/// <summary>
/// One output source of the container (stdout pipe, stderr pipe or the pty master) cut into log messages the way
/// moby's copier does: complete lines as they come; a line that fills the 16 KiB buffer without a newline goes out
/// as a partial message (no newline), its continuations stamped with the first partial's time; what is left at
/// EOF goes out as partial. Raw bytes also go to attached clients as they are read.
/// </summary>
sealed unsafe class OutputStream : IDisposable
{
    public const int BufferSize = 16 * 1024;

    readonly byte stream;
    readonly JsonFileLog? log;
    readonly AttachHub hub;
    Fd fd;
    byte* buffer;
    int filled;
    bool inPartial;
    long partialSeconds, partialNanos;

    public OutputStream(byte stream, Fd fd, JsonFileLog? log, AttachHub hub)
    {
        this.stream = stream;
        this.fd = fd;
        this.log = log;
        this.hub = hub;
    }

    public bool Open => fd.IsValid;
    public int Fd => fd.Value;

    /// <summary>Reads what is there; false at EOF (or EIO on a pty whose last slave closed).</summary>
    public bool OnReadable()
    {
        if (buffer is null) buffer = (byte*)NativeMemory.Alloc(BufferSize);
        int r = Files.ReadSome(fd.Value, buffer + filled, BufferSize - filled);
        if (r == -Errno.EAGAIN) return true;
        if (r <= 0) { Finish(); return false; }
        hub.Broadcast(stream, buffer + filled, r);
        filled += r;
        Split();
        return true;
    }

    /// <summary>Reads until the source is empty (the container exited; others may still hold the pipe), then logs
    /// the rest as partial, as moby does at EOF.</summary>
    public void Drain()
    {
        while (fd.IsValid && OnReadableOnce()) { }
        Finish();
    }

    bool OnReadableOnce()
    {
        if (buffer is null) buffer = (byte*)NativeMemory.Alloc(BufferSize);
        int r = Files.ReadSome(fd.Value, buffer + filled, BufferSize - filled);
        if (r <= 0) return false;
        hub.Broadcast(stream, buffer + filled, r);
        filled += r;
        Split();
        return true;
    }

    void Split()
    {
        int p = 0;
        while (true)
        {
            int q = new ReadOnlySpan<byte>(buffer + p, filled - p).IndexOf((byte)'\n');
            if (q < 0) break;
            long s, ns;
            if (inPartial) { (s, ns) = (partialSeconds, partialNanos); inPartial = false; }
            else (s, ns) = Clock.Now();
            log?.Write(stream, buffer + p, q, complete: true, s, ns);
            p += q + 1;
        }
        if (p == 0 && filled == BufferSize) { Partial(); return; }
        if (p > 0)
        {
            Buffer.MemoryCopy(buffer + p, buffer, BufferSize, filled - p);
            filled -= p;
        }
    }

    void Partial()
    {
        if (filled == 0) return;
        if (!inPartial) { (partialSeconds, partialNanos) = Clock.Now(); inPartial = true; }
        log?.Write(stream, buffer, filled, complete: false, partialSeconds, partialNanos);
        filled = 0;
    }

    void Finish()
    {
        if (buffer is not null) Partial();
        inPartial = false;
        fd.Dispose();
    }

    public void Dispose()
    {
        fd.Dispose();
        if (buffer is not null) { NativeMemory.Free(buffer); buffer = null; }
    }
}
