using System.Net;
using System.Net.Sockets;

namespace Skiff.Images.Tests.Services;

/// <summary>A registry in front of the open one that misbehaves on purpose: corrupts blob bytes, cuts connections
/// mid-body (once or always), or serves a manifest of an unknown media type. Listens on a free loopback port.</summary>
public sealed class FaultProxy : IDisposable
{
    public enum Fault { None, CorruptBlob, TruncateAlways, DropOnce, UnknownManifest, Slow, RedirectBlobs, Flaky503 }

    readonly HttpListener _listener = new();
    readonly HttpClient _upstream = new(new SocketsHttpHandler { AllowAutoRedirect = false });
    int _dropped;
    public Fault Mode { get; set; }
    public string Address { get; }
    public List<string> Ranges { get; } = [];

    public FaultProxy(Fault mode)
    {
        Mode = mode;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Address = $"127.0.0.1:{port}";
        _listener.Prefixes.Add($"http://{Address}/");
        _listener.Start();
        _ = Task.Run(Loop);
    }

    async Task Loop()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext ctx;
            try { ctx = await _listener.GetContextAsync(); } catch { return; }
            _ = Task.Run(() => Handle(ctx));
        }
    }

    async Task Handle(HttpListenerContext ctx)
    {
        try
        {
            var path = ctx.Request.Url!.PathAndQuery;
            if (Mode == Fault.Flaky503 && Interlocked.Increment(ref _dropped) <= 3)
            {
                ctx.Response.StatusCode = 503;
                ctx.Response.Close();
                return;
            }
            if (Mode == Fault.RedirectBlobs && path.Contains("/blobs/sha256:") && ctx.Request.HttpMethod == "GET")
            {
                lock (Ranges) Ranges.Add("redirected");
                ctx.Response.StatusCode = 307;
                ctx.Response.RedirectLocation = $"http://{RegistryFixture.Open}{path}";
                ctx.Response.Close();
                return;
            }
            using var req = new HttpRequestMessage(new HttpMethod(ctx.Request.HttpMethod), $"http://{RegistryFixture.Open}{path}");
            foreach (var k in new[] { "Accept", "Range" })
                if (ctx.Request.Headers[k] is { } v) req.Headers.TryAddWithoutValidation(k, v.Split(','));
            if (ctx.Request.Headers["Range"] is { } range) lock (Ranges) Ranges.Add(range);
            if (ctx.Request.HasEntityBody)
            {
                var ms = new MemoryStream();
                await ctx.Request.InputStream.CopyToAsync(ms);
                req.Content = new ByteArrayContent(ms.ToArray());
                if (ctx.Request.ContentType is { } ct) req.Content.Headers.TryAddWithoutValidation("Content-Type", ct);
            }
            using var resp = await _upstream.SendAsync(req);
            var body = await resp.Content.ReadAsByteArrayAsync();
            bool isBlob = path.Contains("/blobs/sha256:") && ctx.Request.HttpMethod == "GET" && resp.IsSuccessStatusCode;
            bool isManifest = path.Contains("/manifests/") && ctx.Request.HttpMethod == "GET" && resp.IsSuccessStatusCode;
            if (isManifest && Mode == Fault.UnknownManifest)
            {
                body = """{"schemaVersion":2,"mediaType":"application/vnd.example.unknown.v1+json","config":{}}"""u8.ToArray();
                ctx.Response.StatusCode = 200;
                ctx.Response.ContentType = "application/vnd.example.unknown.v1+json";
                ctx.Response.ContentLength64 = body.Length;
                await ctx.Response.OutputStream.WriteAsync(body);
                ctx.Response.Close();
                return;
            }
            ctx.Response.StatusCode = (int)resp.StatusCode;
            foreach (var h in resp.Headers.Concat(resp.Content.Headers))
                if (h.Key is not ("Content-Length" or "Transfer-Encoding" or "Connection"))
                    ctx.Response.Headers[h.Key] = string.Join(",", h.Value);
            ctx.Response.ContentLength64 = body.Length;
            bool big = isBlob && body.Length > (Mode == Fault.TruncateAlways ? 1024 : 1 << 20);
            if (big && Mode == Fault.CorruptBlob) body[body.Length / 2] ^= 0x55;
            if (big && (Mode == Fault.TruncateAlways || (Mode == Fault.DropOnce && Interlocked.Increment(ref _dropped) == 1)))
            {
                await ctx.Response.OutputStream.WriteAsync(body.AsMemory(0, body.Length / 2));
                await ctx.Response.OutputStream.FlushAsync();
                ctx.Response.Abort(); // connection dies mid-body
                return;
            }
            if (big && Mode == Fault.Slow)
            {
                for (int off = 0; off < body.Length; off += 64 << 10)
                {
                    await ctx.Response.OutputStream.WriteAsync(body.AsMemory(off, Math.Min(64 << 10, body.Length - off)));
                    await Task.Delay(4);
                }
                ctx.Response.Close();
                return;
            }
            if (ctx.Request.HttpMethod != "HEAD") await ctx.Response.OutputStream.WriteAsync(body);
            ctx.Response.Close();
        }
        catch { try { ctx.Response.Abort(); } catch { } }
    }

    public void Dispose()
    {
        _listener.Close();
        _upstream.Dispose();
    }
}
