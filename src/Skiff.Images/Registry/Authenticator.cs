using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Skiff.Images.Formats;

namespace Skiff.Images.Registry;

/// <summary>Answers one registry's challenges: HTTP basic with stored credentials, or the bearer-token flow (GET the
/// realm with service and scopes, basic credentials if any, cache the token per scope until it expires).</summary>
public sealed class Authenticator(string registry, ICredentialSource? credentials, HttpClient http)
{
    AuthChallenge? _challenge;
    readonly Dictionary<string, (string Token, DateTimeOffset Expires)> _tokens = [];
    readonly SemaphoreSlim _gate = new(1, 1);

    public Credentials? Credentials { get; set; } = credentials?.Get(registry);

    public void SetChallenge(AuthChallenge? c) { if (c is not null) _challenge = c; }

    public async Task ApplyAsync(HttpRequestMessage req, string scope, CancellationToken ct)
    {
        var c = _challenge;
        if (c is null) return;
        if (c.IsBasic && Credentials is { } cr)
            req.Headers.Authorization = new AuthenticationHeaderValue("Basic", Basic(cr));
        else if (c.IsBearer)
        {
            var token = await TokenAsync(c, scope, ct);
            if (token is not null) req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    /// <summary>After a 401: remembers the new challenge and drops the cached token for the scope.</summary>
    public bool OnUnauthorized(HttpResponseMessage resp, string scope)
    {
        var c = resp.Headers.WwwAuthenticate.Select(h => AuthChallenge.Parse(h.ToString())).FirstOrDefault(x => x is not null);
        if (c is null) return false;
        _challenge = c;
        lock (_tokens) _tokens.Remove(scope);
        return c.IsBearer || Credentials is not null;
    }

    async Task<string?> TokenAsync(AuthChallenge c, string scope, CancellationToken ct)
    {
        lock (_tokens)
            if (_tokens.TryGetValue(scope, out var t) && t.Expires > DateTimeOffset.UtcNow.AddSeconds(10)) return t.Token;
        await _gate.WaitAsync(ct);
        try
        {
            lock (_tokens)
                if (_tokens.TryGetValue(scope, out var t) && t.Expires > DateTimeOffset.UtcNow.AddSeconds(10)) return t.Token;
            if (c.Realm is null) throw new RegistryException($"{registry}: bearer challenge without realm");
            var q = new StringBuilder(c.Realm).Append(c.Realm.Contains('?') ? '&' : '?');
            if (c.Service is not null) q.Append("service=").Append(Uri.EscapeDataString(c.Service)).Append('&');
            foreach (var s in scope.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                q.Append("scope=").Append(Uri.EscapeDataString(s)).Append('&');
            if (Credentials is { Username.Length: > 0 } cr0) q.Append("account=").Append(Uri.EscapeDataString(cr0.Username));
            using var req = new HttpRequestMessage(HttpMethod.Get, q.ToString().TrimEnd('&', '?'));
            if (Credentials is { } cr) req.Headers.Authorization = new AuthenticationHeaderValue("Basic", Basic(cr));
            using var resp = await http.SendAsync(req, ct);
            if (!resp.IsSuccessStatusCode)
                throw new RegistryException($"{registry}: token server {c.Realm} refused ({(int)resp.StatusCode} {resp.ReasonPhrase}): check credentials (skiff login {registry})", resp.StatusCode, "UNAUTHORIZED");
            var body = await resp.Content.ReadAsByteArrayAsync(ct);
            var tr = JsonSerializer.Deserialize(body, WireJson.Default.TokenResponse);
            var token = tr?.Token ?? tr?.AccessToken ?? throw new RegistryException($"{registry}: token server sent no token");
            var exp = DateTimeOffset.UtcNow.AddSeconds(tr!.ExpiresIn > 0 ? tr.ExpiresIn : 60);
            lock (_tokens) _tokens[scope] = (token, exp);
            return token;
        }
        finally { _gate.Release(); }
    }

    static string Basic(Credentials c) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{c.Username}:{c.Password}"));
}
