using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Skiff.Images.Tests.Services;

/// <summary>The token server the :5002 registry trusts (docker token auth): GET /token?service=&amp;scope=... with HTTP basic
/// skiff/skiffpass returns an RS256 JWT whose x5c is the certificate in the registry's rootcertbundle, granting the
/// requested actions. Anonymous requests are refused. Records the scopes it was asked for.</summary>
public sealed class TokenIssuer : IDisposable
{
    public const int Port = 5003;
    readonly HttpListener _listener = new();
    readonly RSA _key;
    readonly string _certB64;
    readonly CancellationTokenSource _stop = new();
    public List<string> Scopes { get; } = [];

    public TokenIssuer(string stateDir)
    {
        _key = RSA.Create();
        _key.ImportFromPem(File.ReadAllText(Path.Combine(stateDir, "token.key")));
        _certB64 = Convert.ToBase64String(X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(stateDir, "token.crt"))).RawData);
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _ = Task.Run(Loop);
    }

    async Task Loop()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext ctx;
            try { ctx = await _listener.GetContextAsync(); } catch { return; }
            try { Handle(ctx); } catch { ctx.Response.StatusCode = 500; }
            ctx.Response.Close();
        }
    }

    void Handle(HttpListenerContext ctx)
    {
        var auth = ctx.Request.Headers["Authorization"];
        var ok = auth is not null && auth.StartsWith("Basic ", StringComparison.Ordinal)
            && Encoding.UTF8.GetString(Convert.FromBase64String(auth[6..])) == "skiff:skiffpass";
        if (!ok) { ctx.Response.StatusCode = 401; return; }
        var scopes = ctx.Request.QueryString.GetValues("scope") ?? [];
        lock (Scopes) Scopes.AddRange(scopes);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        static string B64(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var header = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["typ"] = "JWT", ["alg"] = "RS256", ["x5c"] = new[] { _certB64 } });
        var access = scopes.SelectMany(s => s.Split(' ')).Where(s => s.Count(c => c == ':') >= 2).Select(s =>
        {
            var first = s.IndexOf(':');
            var last = s.LastIndexOf(':');
            return new Dictionary<string, object> { ["type"] = s[..first], ["name"] = s[(first + 1)..last], ["actions"] = s[(last + 1)..].Split(',') };
        }).ToArray();
        var claims = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["iss"] = "skiff-test-issuer", ["sub"] = "skiff", ["aud"] = ctx.Request.QueryString["service"] ?? "",
            ["exp"] = now + 600, ["nbf"] = now - 30, ["iat"] = now, ["jti"] = Guid.NewGuid().ToString("n"), ["access"] = access,
        });
        var signingInput = B64(header) + "." + B64(claims);
        var sig = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var token = signingInput + "." + B64(sig);
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["token"] = token, ["expires_in"] = 600 });
        ctx.Response.ContentType = "application/json";
        ctx.Response.OutputStream.Write(body);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        _key.Dispose();
    }
}
