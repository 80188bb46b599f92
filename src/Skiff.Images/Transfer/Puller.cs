using System.Text.Json;
using Skiff.Images.Content;
using Skiff.Images.Formats;
using Skiff.Images.Layers;
using Skiff.Images.References;
using Skiff.Images.Registry;

namespace Skiff.Images.Transfer;

/// <summary>Pull: resolve the reference, choose the platform's manifest, fetch the config, then fetch and unpack the
/// layers concurrently. With a snapshotter that can rebase (overlayfs) each layer streams network → blob file + sha256
/// → decompressor → diffID sha256 → tar apply in one pass; otherwise blobs download in parallel and apply in order.
/// The name is recorded only when every blob is verified and every snapshot committed.</summary>
public sealed class Puller(ImageService images, RegistryClient client)
{
    public async Task<LocalImage> PullAsync(Reference reference, Platform? platform, IProgress<TransferProgress>? progress, CancellationToken ct = default)
    {
        using var gcLock = images.LockShared();
        var repo = RemoteRepository.For(client, reference);
        progress?.Report(new TransferProgress(reference.Familiar, TransferPhase.Resolving));
        var (body, mediaType, digest) = await repo.GetManifestAsync(reference.Object, ct);
        var top = new Descriptor { MediaType = mediaType, Digest = digest.ToString(), Size = body.Length };
        var manifestDesc = top;
        byte[] manifestBytes = body;
        if (MediaTypes.IsIndex(mediaType))
        {
            var idx = JsonSerializer.Deserialize(body, WireJson.Default.Index) ?? throw new InvalidDataException("empty index");
            var want = platform ?? Platform.Host;
            manifestDesc = PlatformMatcher.Select(idx.Manifests.Where(m => MediaTypes.IsManifest(m.MediaType)), want)
                ?? throw new NoMatchingPlatformException(digest.ToString(), want);
            (manifestBytes, var mt, var md) = await repo.GetManifestAsync(manifestDesc.Digest, ct);
            if (!MediaTypes.IsManifest(mt)) throw new UnsupportedMediaTypeException(mt);
            manifestDesc = manifestDesc with { MediaType = mt, Size = manifestBytes.Length, Digest = md.ToString() };
        }
        var manifest = JsonSerializer.Deserialize(manifestBytes, WireJson.Default.Manifest) ?? throw new InvalidDataException("empty manifest");
        if (!MediaTypes.IsConfig(manifest.Config.MediaType)) throw new UnsupportedMediaTypeException(manifest.Config.MediaType);
        foreach (var l in manifest.Layers)
        {
            if (!MediaTypes.IsLayer(l.MediaType)) throw new UnsupportedMediaTypeException(l.MediaType);
            MediaTypes.LayerCompression(l.MediaType);
        }

        var configBytes = await FetchSmallBlobAsync(repo, manifest.Config, ct);
        var config = JsonSerializer.Deserialize(configBytes, WireJson.Default.ImageConfig) ?? throw new InvalidDataException("empty config");
        if (config.RootFs.DiffIds.Length != manifest.Layers.Length)
            throw new InvalidDataException($"image config lists {config.RootFs.DiffIds.Length} diff_ids but the manifest has {manifest.Layers.Length} layers");

        await UnpackAsync(repo, manifest, config, progress, ct);

        images.Content.Put(manifestBytes, manifestDesc.ParsedDigest);
        foreach (var l in manifest.Layers) images.Sources.Add(l.ParsedDigest, reference.Domain, reference.Path);
        images.Sources.Add(manifest.Config.ParsedDigest, reference.Domain, reference.Path);
        var target = manifestDesc with { Platform = null, Annotations = null, Urls = null };
        var rec = images.Images.Set(reference.ToString(), target);
        progress?.Report(new TransferProgress(reference.Familiar, TransferPhase.Done, Detail: $"Digest: {digest}"));
        return new LocalImage(rec, target, target, manifest, config);
    }

    async Task<byte[]> FetchSmallBlobAsync(RemoteRepository repo, Descriptor d, CancellationToken ct)
    {
        var dg = d.ParsedDigest;
        if (images.Content.Exists(dg)) return images.Content.ReadAll(dg);
        if (d.Size > 16 << 20) throw new InvalidDataException($"config {d.Digest} is {d.Size} bytes");
        using var s = await ResumingBlobStream.OpenAsync(repo, dg, d.Size, 0, ct);
        var buf = new byte[d.Size];
        await s.ReadExactlyAsync(buf, ct);
        images.Content.Put(buf, dg);
        return buf;
    }

    async Task UnpackAsync(RemoteRepository repo, Manifest m, ImageConfig config, IProgress<TransferProgress>? progress, CancellationToken ct)
    {
        var sn = images.Snapshots;
        var chain = ChainId.Of(config.RootFs.DiffIds);
        int n = m.Layers.Length;
        var done = new TaskCompletionSource[n];
        for (int i = 0; i < n; i++) done[i] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        foreach (var l in m.Layers) progress?.Report(new TransferProgress(l.ParsedDigest.Short, TransferPhase.Waiting, 0, l.Size));

        int next = -1;
        int workers = Math.Max(1, Math.Min(client.Options.ConcurrentDownloads, n));
        var threads = new List<Task>();
        // Workers take layers in order, so a layer only ever waits for lower ones that are already being worked on.
        for (int w = 0; w < workers; w++)
            threads.Add(Task.Factory.StartNew(() =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < n)
                {
                    try
                    {
                        if (sn.CanRebase) FetchAndApply(repo, m.Layers[i], i, chain, config.RootFs.DiffIds[i], done, progress, ct);
                        else FetchOnly(repo, m.Layers[i], chain[i], progress, ct);
                        done[i].TrySetResult();
                    }
                    catch (Exception e)
                    {
                        progress?.Report(new TransferProgress(m.Layers[i].ParsedDigest.Short, TransferPhase.Failed, Detail: e.Message));
                        done[i].TrySetException(e);
                        for (int j = i + 1; j < n; j++) done[j].TrySetCanceled(); // stop waiting higher layers early
                    }
                }
            }, ct, TaskCreationOptions.LongRunning, TaskScheduler.Default));
        await Task.WhenAll(threads);
        var failed = done.Select(d => d.Task).FirstOrDefault(t => t.IsFaulted);
        if (failed is not null) throw failed.Exception!.InnerException!;

        if (!sn.CanRebase)
            await Task.Factory.StartNew(() =>
            {
                for (int i = 0; i < n; i++) ApplyFromStore(m.Layers[i], i, chain, config.RootFs.DiffIds[i], progress);
            }, ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Downloads a blob into the store unless there; returns nothing to unpack.</summary>
    void FetchOnly(RemoteRepository repo, Descriptor layer, Digest chainId, IProgress<TransferProgress>? progress, CancellationToken ct)
    {
        var d = layer.ParsedDigest;
        if (images.Content.Exists(d)) { progress?.Report(new TransferProgress(d.Short, TransferPhase.Exists, layer.Size, layer.Size)); return; }
        using var ingest = images.Content.BeginIngest(d, layer.Size);
        if (ingest.Complete) { progress?.Report(new TransferProgress(d.Short, TransferPhase.Exists, layer.Size, layer.Size)); return; }
        var rep = new Progress(progress, d.Short, TransferPhase.Downloading, layer.Size);
        using var net = ResumingBlobStream.OpenAsync(repo, d, layer.Size, ingest.Offset, ct).GetAwaiter().GetResult();
        using var tee = new IngestTee(net, ingest, rep);
        tee.Drain();
        ingest.Commit();
        progress?.Report(new TransferProgress(d.Short, TransferPhase.Done, layer.Size, layer.Size, "Download complete"));
    }

    void FetchAndApply(RemoteRepository repo, Descriptor layer, int i, Digest[] chain, string diffId, TaskCompletionSource[] done,
        IProgress<TransferProgress>? progress, CancellationToken ct)
    {
        var sn = images.Snapshots;
        var d = layer.ParsedDigest;
        var chainKey = chain[i].ToString();
        using var snapLock = images.LockSnapshot(chain[i]);
        if (sn.Stat(chainKey) is not null)
        {
            FetchOnly(repo, layer, chain[i], progress, ct); // keep the blob for push/save
            progress?.Report(new TransferProgress(d.Short, TransferPhase.Exists, layer.Size, layer.Size, "Already exists"));
            return;
        }
        var key = "unpack-" + chain[i].Hex;
        if (sn.Stat(key) is not null) sn.Remove(key); // left by an interrupted pull
        sn.Prepare(key, parent: null);
        try
        {
            IReadOnlyList<string> Lowers()
            {
                if (i == 0) return [];
                done[i - 1].Task.GetAwaiter().GetResult();
                return sn.ChainDirs(chain[i - 1].ToString());
            }
            using (var applier = new LayerApplier(sn.ApplyDir(key), sn.Whiteouts, Lowers))
            {
                var rep = new Progress(progress, d.Short, TransferPhase.Downloading, layer.Size);
                using var ingest = images.Content.BeginIngest(d, layer.Size);
                Stream compressed;
                IngestTee? tee = null;
                if (ingest.Complete) compressed = images.Content.OpenRead(d);
                else
                {
                    var net = ResumingBlobStream.OpenAsync(repo, d, layer.Size, ingest.Offset, ct).GetAwaiter().GetResult();
                    tee = new IngestTee(net, ingest, rep);
                    compressed = ingest.Offset > 0 ? new BoundedStream(ingest.OpenPartial(), ingest.Offset, tee) : tee;
                }
                using (compressed)
                {
                    try
                    {
                        ApplyStream(applier, compressed, layer.MediaType, diffId, d);
                        tee?.Drain();
                        if (tee is not null) ingest.Commit();
                    }
                    catch (Exception e) when (tee is not null && e is not DigestMismatchException && e is not SizeMismatchException && e is not OperationCanceledException)
                    {
                        // Corrupt data usually shows up as a decompression error first; say what really went wrong.
                        try { tee.Drain(); ingest.Commit(); }
                        catch (Exception e2) when (e2 is DigestMismatchException or SizeMismatchException) { throw; }
                        catch { }
                        throw;
                    }
                }
            }
            progress?.Report(new TransferProgress(d.Short, TransferPhase.Extracting, layer.Size, layer.Size));
            if (i > 0) done[i - 1].Task.GetAwaiter().GetResult(); // the parent must be committed before we commit onto it
            sn.Commit(chainKey, key, i > 0 ? chain[i - 1].ToString() : null);
            progress?.Report(new TransferProgress(d.Short, TransferPhase.Done, layer.Size, layer.Size, "Pull complete"));
        }
        catch
        {
            try { if (sn.Stat(key) is not null) sn.Remove(key); } catch { /* GC will remove it */ }
            throw;
        }
    }

    void ApplyFromStore(Descriptor layer, int i, Digest[] chain, string diffId, IProgress<TransferProgress>? progress)
    {
        var sn = images.Snapshots;
        var d = layer.ParsedDigest;
        var chainKey = chain[i].ToString();
        using var snapLock = images.LockSnapshot(chain[i]);
        if (sn.Stat(chainKey) is not null) return;
        var key = "unpack-" + chain[i].Hex;
        if (sn.Stat(key) is not null) sn.Remove(key);
        sn.Prepare(key, i > 0 ? chain[i - 1].ToString() : null);
        try
        {
            progress?.Report(new TransferProgress(d.Short, TransferPhase.Extracting, 0, layer.Size));
            using (var applier = new LayerApplier(sn.ApplyDir(key), sn.Whiteouts))
            using (var s = images.Content.OpenRead(d))
                ApplyStream(applier, s, layer.MediaType, diffId, d);
            sn.Commit(chainKey, key);
            progress?.Report(new TransferProgress(d.Short, TransferPhase.Done, layer.Size, layer.Size, "Pull complete"));
        }
        catch
        {
            try { if (sn.Stat(key) is not null) sn.Remove(key); } catch { }
            throw;
        }
    }

    /// <summary>compressed → decompressor → sha256 (diffID) → tar apply; the diffID must match the config's.</summary>
    public static void ApplyStream(LayerApplier applier, Stream compressed, string mediaType, string diffId, Digest blob)
    {
        using var plain = Decompression.Open(compressed, MediaTypes.LayerCompression(mediaType), leaveOpen: true);
        using var digesting = new DigestingStream(plain, leaveOpen: true);
        applier.Apply(digesting);
        digesting.Drain();
        var got = digesting.Digest();
        if (got.ToString() != diffId) throw new DigestMismatchException(Digest.Parse(diffId), got, $"layer {blob.Short} uncompressed (diffID)");
    }

    sealed class Progress(IProgress<TransferProgress>? inner, string id, TransferPhase phase, long total) : IProgress<long>
    {
        long _last = -1;
        public void Report(long value)
        {
            if (inner is null) return;
            // at most ~200 events per blob
            if (_last >= 0 && value < total && value - _last < Math.Max(total / 200, 256 << 10)) return;
            _last = value;
            inner.Report(new TransferProgress(id, phase, value, total));
        }
    }
}
