using System.Net;
using System.Net.Http.Headers;
using Skiff.Images.Content;
using Skiff.Images.Formats;
using Skiff.Images.References;

namespace Skiff.Images.Registry;

/// <summary>One repository on a registry: manifests and blobs per the OCI distribution-spec.</summary>
public sealed class RemoteRepository(RegistryClient client, string registry, string path)
{
    public const int MaxManifestBytes = 4 << 20;
    public string Registry { get; } = registry;
    public string Path { get; } = path;
    public RegistryClient Client { get; } = client;
    string PullScope => $"repository:{Path}:pull";
    string PushScope => $"repository:{Path}:pull,push";

    public static RemoteRepository For(RegistryClient c, Reference r) => new(c, r.Domain, r.Path);

    Uri U(Uri b, string rel) => new(b, $"{Path}/{rel}");

    /// <summary>Fetches a manifest or index by tag or digest. The bytes are verified against the digest asked for, or
    /// against the registry's Docker-Content-Digest when asked by tag.</summary>
    public async Task<(byte[] Body, string MediaType, Digest Digest)> GetManifestAsync(string tagOrDigest, CancellationToken ct)
    {
        using var resp = await Client.SendAsync(Registry, PullScope, b =>
        {
            var r = new HttpRequestMessage(HttpMethod.Get, U(b, "manifests/" + tagOrDigest));
            foreach (var a in RegistryClient.AcceptManifests()) r.Headers.Accept.Add(a);
            return r;
        }, idempotent: true, ct);
        if (!resp.IsSuccessStatusCode)
            throw await RegistryClient.ErrorAsync(resp, $"manifest {Registry}/{Path}:{tagOrDigest}", ct);
        if (resp.Content.Headers.ContentLength > MaxManifestBytes) throw new RegistryException($"manifest {tagOrDigest} is larger than 4 MiB");
        var body = await resp.Content.ReadAsByteArrayAsync(ct);
        var mediaType = ManifestProbe.Detect(body, resp.Content.Headers.ContentType?.MediaType);
        if (!MediaTypes.IsIndex(mediaType) && !MediaTypes.IsManifest(mediaType)) throw new UnsupportedMediaTypeException(mediaType);
        Digest want;
        if (Digest.TryParse(tagOrDigest, out var asked, out _)) want = asked;
        else if (resp.Headers.TryGetValues("Docker-Content-Digest", out var hv) && Digest.TryParse(hv.First(), out var hd, out _)) want = hd;
        else want = Digest.Sha256(body);
        var actual = want.Algorithm == "sha256" ? Digest.Sha256(body) : Digest.FromHasher(want.Algorithm, HashOf(want, body));
        if (actual != want) throw new DigestMismatchException(want, actual, $"manifest {Registry}/{Path}:{tagOrDigest}");
        return (body, mediaType, actual);
    }

    static System.Security.Cryptography.IncrementalHash HashOf(Digest d, byte[] body) { var h = d.NewHasher(); h.AppendData(body); return h; }

    /// <summary>GET a blob from <paramref name="offset"/> (a Range request when &gt; 0). Returns the body stream and the
    /// offset it actually starts at (0 when the server ignored the range).</summary>
    public async Task<(Stream Body, long Start, HttpResponseMessage Response)> OpenBlobAsync(Digest d, long offset, CancellationToken ct)
    {
        var resp = await Client.SendAsync(Registry, PullScope, b =>
        {
            var r = new HttpRequestMessage(HttpMethod.Get, U(b, "blobs/" + d));
            if (offset > 0) r.Headers.Range = new RangeHeaderValue(offset, null);
            return r;
        }, idempotent: true, ct);
        if (!resp.IsSuccessStatusCode)
        {
            var err = await RegistryClient.ErrorAsync(resp, $"blob {d}", ct);
            resp.Dispose();
            throw err;
        }
        long start = resp.StatusCode == HttpStatusCode.PartialContent ? resp.Content.Headers.ContentRange?.From ?? 0 : 0;
        return (await resp.Content.ReadAsStreamAsync(ct), start, resp);
    }

    public async Task<bool> BlobExistsAsync(Digest d, CancellationToken ct)
    {
        using var resp = await Client.SendAsync(Registry, PushScope, b => new HttpRequestMessage(HttpMethod.Head, U(b, "blobs/" + d)), idempotent: true, ct);
        if (resp.StatusCode == HttpStatusCode.NotFound) return false;
        if (!resp.IsSuccessStatusCode) throw await RegistryClient.ErrorAsync(resp, $"HEAD blob {d}", ct);
        return true;
    }

    /// <summary>Cross-repository mount: true when the registry linked the blob from <paramref name="fromPath"/>; otherwise
    /// an upload location the registry opened instead (or null).</summary>
    public async Task<(bool Mounted, Uri? Upload)> MountBlobAsync(Digest d, string fromPath, CancellationToken ct)
    {
        using var resp = await Client.SendAsync(Registry, $"{PushScope} repository:{fromPath}:pull",
            b => new HttpRequestMessage(HttpMethod.Post, U(b, $"blobs/uploads/?mount={Uri.EscapeDataString(d.ToString())}&from={Uri.EscapeDataString(fromPath)}")),
            idempotent: false, ct);
        if (resp.StatusCode == HttpStatusCode.Created) return (true, null);
        if (resp.StatusCode == HttpStatusCode.Accepted) return (false, Location(resp));
        return (false, null);
    }

    /// <summary>Uploads a blob: monolithic PUT when it fits one chunk, else PATCH chunks then PUT ?digest=.</summary>
    public async Task UploadBlobAsync(Digest d, long size, Func<Stream> open, Uri? location, IProgress<long>? progress, CancellationToken ct)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await UploadOnceAsync(d, size, open, location, progress, ct);
                return;
            }
            catch (Exception e) when (e is HttpRequestException or IOException && attempt < Client.Options.MaxAttempts)
            {
                location = null; // start a fresh session
                await Task.Delay(Client.Backoff(attempt), ct);
            }
        }
    }

    async Task UploadOnceAsync(Digest d, long size, Func<Stream> open, Uri? location, IProgress<long>? progress, CancellationToken ct)
    {
        if (location is null)
        {
            using var start = await Client.SendAsync(Registry, PushScope, b => new HttpRequestMessage(HttpMethod.Post, U(b, "blobs/uploads/")), idempotent: false, ct);
            if (start.StatusCode != HttpStatusCode.Accepted) throw await RegistryClient.ErrorAsync(start, $"start upload of {d}", ct);
            location = Location(start);
        }
        long chunk = Client.Options.UploadChunkSize;
        if (size <= chunk)
        {
            using var put = await Client.SendAsync(Registry, PushScope, _ =>
            {
                var s = open();
                var r = new HttpRequestMessage(HttpMethod.Put, WithDigest(location!, d)) { Content = new ProgressContent(s, size, progress) };
                r.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                return r;
            }, idempotent: false, ct);
            if (put.StatusCode != HttpStatusCode.Created) throw await RegistryClient.ErrorAsync(put, $"upload of {d}", ct);
            return;
        }
        using var src = open();
        long off = 0;
        while (off < size)
        {
            long n = Math.Min(chunk, size - off);
            var buf = new byte[n];
            await src.ReadExactlyAsync(buf, ct);
            long from = off;
            using var patch = await Client.SendAsync(Registry, PushScope, _ =>
            {
                var r = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new ByteArrayContent(buf) };
                r.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                r.Content.Headers.TryAddWithoutValidation("Content-Range", $"{from}-{from + n - 1}");
                return r;
            }, idempotent: false, ct);
            if (patch.StatusCode != HttpStatusCode.Accepted) throw await RegistryClient.ErrorAsync(patch, $"upload chunk of {d}", ct);
            location = Location(patch) ?? location;
            off += n;
            progress?.Report(off);
        }
        using var fin = await Client.SendAsync(Registry, PushScope, _ => new HttpRequestMessage(HttpMethod.Put, WithDigest(location!, d)), idempotent: false, ct);
        if (fin.StatusCode != HttpStatusCode.Created) throw await RegistryClient.ErrorAsync(fin, $"finish upload of {d}", ct);
    }

    public async Task<Digest> PutManifestAsync(string tagOrDigest, byte[] body, string mediaType, CancellationToken ct)
    {
        using var resp = await Client.SendAsync(Registry, PushScope, b =>
        {
            var r = new HttpRequestMessage(HttpMethod.Put, U(b, "manifests/" + tagOrDigest)) { Content = new ByteArrayContent(body) };
            r.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
            return r;
        }, idempotent: true, ct);
        if (resp.StatusCode != HttpStatusCode.Created) throw await RegistryClient.ErrorAsync(resp, $"push manifest {Registry}/{Path}:{tagOrDigest}", ct);
        var local = Digest.Sha256(body);
        if (resp.Headers.TryGetValues("Docker-Content-Digest", out var v) && Digest.TryParse(v.First(), out var remote, out _) && remote != local)
            throw new DigestMismatchException(local, remote, "pushed manifest");
        return local;
    }

    public async Task<string[]> ListTagsAsync(CancellationToken ct)
    {
        using var resp = await Client.SendAsync(Registry, PullScope, b => new HttpRequestMessage(HttpMethod.Get, U(b, "tags/list")), idempotent: true, ct);
        if (!resp.IsSuccessStatusCode) throw await RegistryClient.ErrorAsync(resp, $"tags of {Registry}/{Path}", ct);
        var t = System.Text.Json.JsonSerializer.Deserialize(await resp.Content.ReadAsByteArrayAsync(ct), WireJson.Default.TagList);
        return t?.Tags ?? [];
    }

    static Uri? Location(HttpResponseMessage r)
    {
        var l = r.Headers.Location;
        if (l is null) return null;
        return l.IsAbsoluteUri ? l : new Uri(r.RequestMessage!.RequestUri!, l);
    }

    static Uri WithDigest(Uri location, Digest d)
    {
        var s = location.ToString();
        return new Uri(s + (s.Contains('?') ? "&" : "?") + "digest=" + Uri.EscapeDataString(d.ToString()));
    }
}
