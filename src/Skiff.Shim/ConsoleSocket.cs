using Skiff.Linux;

namespace Skiff.Shim;

/// <summary>
/// The --console-socket a runtime connects to when the container has a terminal: it sends the pty master over
/// SCM_RIGHTS (runc's protocol), which the shim then owns. The socket file lives only during <c>create</c>.
/// </summary>
sealed class ConsoleSocket : IDisposable
{
    Fd listener;
    public string Path { get; }
    public Fd Master = Fd.None;
    public bool Received => Master.IsValid;
    public int Listener => listener.Value;

    public ConsoleSocket(string id)
    {
        Path = System.IO.Path.Combine("/tmp", $"skiff-console-{Processes.CurrentPid}-{id[..Math.Min(12, id.Length)]}.sock");
        try { File.Delete(Path); } catch (IOException) { }
        listener = Sockets.ListenUnix(Path, 1);
    }

    public void Accept()
    {
        using var conn = Sockets.Accept(listener.Value);
        Span<byte> name = stackalloc byte[4096];
        Sockets.ReceiveFd(conn.Value, name, out var fd);
        if (fd.IsValid && !Master.IsValid) Master = fd;
        else fd.Dispose();
    }

    public void Dispose()
    {
        listener.Dispose();
        try { File.Delete(Path); } catch (IOException) { }
    }
}
