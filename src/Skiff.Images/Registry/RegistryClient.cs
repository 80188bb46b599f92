using System.Net;
using System.Net.Http.Headers;
using System.Security.Authentication;
using System.Text.Json;
using Skiff.Images.Formats;

namespace Skiff.Images.Registry;

/// <summary>HTTP to distribution-spec registries: endpoint discovery (HTTPS with system trust; plain HTTP or unverified TLS
/// for insecure registries), authentication, retries with exponential backoff, redirects.</summary>
public sealed class RegistryClient : IDisposable
{
    readonly HttpClient _http, _httpInsecure;
    readonly Dictionary<string, Task<Uri>> _endpoints = [];
    readonly Dictionary<string, Authenticator> _auth = [];

    public RegistryClient(RegistryOptions options)
    {
        Options = options;
        _http = NewClient(verify: true);
        _httpInsecure = NewClient(verify: false);
    }

    public RegistryOptions Options { get; }

    HttpClient NewClient(bool verify)
    {
        var h = new SocketsHttpHandler
        {
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = 10,
            AutomaticDecompression = DecompressionMethods.None,
            MaxConnectionsPerServer = 32,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            ConnectTimeout = TimeSpan.FromSeconds(30),
            UseCookies = false,
        };
        if (!verify) h.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        var c = new HttpClient(h) { Timeout = Timeout.InfiniteTimeSpan };
        c.DefaultRequestHeaders.UserAgent.ParseAdd(Options.UserAgent);
        return c;
    }

    HttpClient Http(string registry) => Options.IsInsecure(registry) ? _httpInsecure : _http;

    public Authenticator Auth(string registry)
    {
        lock (_auth)
        {
            if (!_auth.TryGetValue(registry, out var a)) _auth[registry] = a = new Authenticator(registry, Options.Credentials, Http(registry));
            return a;
        }
    }

    static string HostOf(string registry) => registry == "docker.io" ? "registry-1.docker.io" : registry;

    /// <summary>https://host/v2/ or, for insecure registries that do not speak TLS, http://host/v2/. Pinging /v2/ also
    /// collects the authentication challenge.</summary>
    public Task<Uri> EndpointAsync(string registry, CancellationToken ct)
    {
        lock (_endpoints)
        {
            if (!_endpoints.TryGetValue(registry, out var t) || t.IsFaulted || t.IsCanceled)
                _endpoints[registry] = t = DiscoverAsync(registry, ct);
            return t;
        }
    }

    async Task<Uri> DiscoverAsync(string registry, CancellationToken ct)
    {
        var host = HostOf(registry);
        var https = new Uri($"https://{host}/v2/");
        Exception? tlsError = null;
        try
        {
            if (await PingAsync(registry, https, ct)) return https;
        }
        catch (HttpRequestException e) when (Options.IsInsecure(registry) && (e.InnerException is AuthenticationException or IOException || e.HttpRequestError == HttpRequestError.SecureConnectionError))
        {
            tlsError = e;
        }
        if (!Options.IsInsecure(registry)) throw new RegistryException($"{registry}: /v2/ did not answer as a registry");
        var http = new Uri($"http://{host}/v2/");
        try
        {
            if (await PingAsync(registry, http, ct)) return http;
        }
        catch (HttpRequestException e)
        {
            throw new RegistryException($"{registry}: cannot reach registry over https ({tlsError?.Message}) nor http ({e.Message})");
        }
        throw new RegistryException($"{registry}: /v2/ did not answer as a registry");
    }

    async Task<bool> PingAsync(string registry, Uri v2, CancellationToken ct)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                using var resp = await Http(registry).GetAsync(v2, HttpCompletionOption.ResponseHeadersRead, ct);
                if (((int)resp.StatusCode >= 500 || resp.StatusCode == HttpStatusCode.TooManyRequests) && attempt < Options.MaxAttempts)
                {
                    await Task.Delay(Backoff(attempt), ct);
                    continue;
                }
                if (resp.StatusCode == HttpStatusCode.Unauthorized)
                {
                    Auth(registry).OnUnauthorized(resp, "");
                    return true;
                }
                return resp.IsSuccessStatusCode || resp.Headers.Contains("Docker-Distribution-API-Version");
            }
            catch (HttpRequestException e) when (attempt < Options.MaxAttempts && e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.ResponseEnded && !IsTls(e))
            {
                await Task.Delay(Backoff(attempt), ct);
            }
        }
    }

    static bool IsTls(HttpRequestException e) => e.InnerException is AuthenticationException || e.HttpRequestError == HttpRequestError.SecureConnectionError;

    public TimeSpan Backoff(int attempt) => Options.FirstBackoff * Math.Pow(2, attempt - 1);

    /// <summary>Sends a request built by <paramref name="make"/> (called again for each attempt), authenticating for
    /// <paramref name="scope"/>; retries connection failures, 5xx and 429 when <paramref name="idempotent"/>.</summary>
    public async Task<HttpResponseMessage> SendAsync(string registry, string scope, Func<Uri, HttpRequestMessage> make,
        bool idempotent, CancellationToken ct, HttpCompletionOption completion = HttpCompletionOption.ResponseHeadersRead)
    {
        var baseUri = await EndpointAsync(registry, ct);
        var auth = Auth(registry);
        bool reauthed = false;
        for (int attempt = 1; ; attempt++)
        {
            using var req = make(baseUri);
            await auth.ApplyAsync(req, scope, ct);
            HttpResponseMessage resp;
            try { resp = await Http(registry).SendAsync(req, completion, ct); }
            catch (HttpRequestException) when (idempotent && attempt < Options.MaxAttempts)
            {
                await Task.Delay(Backoff(attempt), ct);
                continue;
            }
            if (resp.StatusCode == HttpStatusCode.Unauthorized && !reauthed && auth.OnUnauthorized(resp, scope))
            {
                reauthed = true;
                resp.Dispose();
                attempt--;
                continue;
            }
            if (idempotent && attempt < Options.MaxAttempts && ((int)resp.StatusCode >= 500 || resp.StatusCode == HttpStatusCode.TooManyRequests))
            {
                resp.Dispose();
                await Task.Delay(Backoff(attempt), ct);
                continue;
            }
            return resp;
        }
    }

    /// <summary>Turns an error response into a <see cref="RegistryException"/> naming what was asked.</summary>
    public static async Task<RegistryException> ErrorAsync(HttpResponseMessage resp, string what, CancellationToken ct)
    {
        string? code = null, msg = null;
        try
        {
            var body = await resp.Content.ReadAsByteArrayAsync(ct);
            if (body.Length > 0 && body[0] == '{')
            {
                var e = JsonSerializer.Deserialize(body, WireJson.Default.RegistryErrors);
                code = e?.Errors?.FirstOrDefault()?.Code;
                msg = e?.Errors?.FirstOrDefault()?.Message;
            }
        }
        catch (Exception x) when (x is JsonException or HttpRequestException or IOException) { }
        var status = (int)resp.StatusCode;
        var text = resp.StatusCode switch
        {
            HttpStatusCode.Unauthorized => $"{what}: unauthorized (skiff login?)",
            HttpStatusCode.Forbidden => $"{what}: access denied",
            HttpStatusCode.NotFound => $"{what}: not found",
            _ => $"{what}: registry answered {status} {resp.ReasonPhrase}",
        };
        if (msg is not null) text += $" ({code}: {msg})";
        return new RegistryException(text, resp.StatusCode, code);
    }

    public static MediaTypeWithQualityHeaderValue[] AcceptManifests()
        => MediaTypes.Accept.Select(m => new MediaTypeWithQualityHeaderValue(m)).ToArray();

    public void Dispose()
    {
        _http.Dispose();
        _httpInsecure.Dispose();
    }
}
