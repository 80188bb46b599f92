using System.Text;
using Skiff.Linux;

namespace Skiff.Shim;

/// <summary>The control socket: one command line per connection, answered <c>ok</c> or <c>error &lt;msg&gt;</c>
/// (see Protocol/ControlCommands.cs).</summary>
sealed class ControlServer : IDisposable
{
    Fd listener;

    public ControlServer(string path) => listener = SocketPath.Listen(path);

    public int Listener => listener.Value;

    /// <summary>Accepts a connection, reads its command and answers with what <paramref name="handle"/> returns
    /// (null = ok).</summary>
    public void Serve(Func<string[], string?> handle)
    {
        Fd conn;
        try { conn = Sockets.Accept(listener.Value); } catch (LinuxException) { return; }
        using (conn)
        {
            var line = AttachHub.ReadLine(conn.Value, 5000);
            if (line is null) return;
            string? error;
            try { error = handle(Encoding.UTF8.GetString(line).Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)); }
            catch (Exception e) { error = e.Message; }
            var reply = Encoding.UTF8.GetBytes(error is null ? "ok\n" : "error " + error.ReplaceLineEndings(" ") + "\n");
            unsafe { fixed (byte* p = reply) Sockets.SendAll(conn.Value, p, reply.Length); }
        }
    }

    public void Dispose() => listener.Dispose();
}
