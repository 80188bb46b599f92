using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Skiff.Build.Tests.Fixtures;

/// <summary>A tiny HTTP server on 127.0.0.1 (a free port) answering every GET with <see cref="Body"/>.</summary>
public sealed class LocalHttp : IDisposable
{
    readonly TcpListener _listener;
    readonly CancellationTokenSource _cts = new();

    public LocalHttp(string body)
    {
        Body = body;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Url = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";
        _ = Task.Run(Loop);
    }

    public string Url { get; }
    public volatile string Body;

    async Task Loop()
    {
        while (!_cts.IsCancellationRequested)
        {
            TcpClient c;
            try { c = await _listener.AcceptTcpClientAsync(_cts.Token); } catch { return; }
            _ = Task.Run(async () =>
            {
                using (c)
                {
                    var s = c.GetStream();
                    var buf = new byte[8192];
                    var req = new StringBuilder();
                    while (!req.ToString().Contains("\r\n\r\n"))
                    {
                        int n = await s.ReadAsync(buf);
                        if (n == 0) return;
                        req.Append(Encoding.ASCII.GetString(buf, 0, n));
                    }
                    var body = Encoding.UTF8.GetBytes(Body);
                    var head = $"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\nLast-Modified: Mon, 01 Jan 2024 00:00:00 GMT\r\nConnection: close\r\n\r\n";
                    await s.WriteAsync(Encoding.ASCII.GetBytes(head));
                    await s.WriteAsync(body);
                }
            });
        }
    }

    public void Dispose()
    {
        _cts.Cancel();
        _listener.Stop();
    }
}
