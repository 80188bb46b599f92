using Skiff.Images.Content;
using Skiff.Images.Formats;
using Skiff.Images.References;
using Skiff.Images.Registry;

namespace Skiff.Images.Transfer;

/// <summary>Push: for every blob of the image (config and layers, concurrently) ask HEAD whether the registry has it,
/// else try a cross-repository mount from a repository it came from, else upload it; then PUT the manifest, and for an
/// index each child manifest by digest before the index itself.</summary>
public sealed class Pusher(ImageService images, RegistryClient client)
{
    public async Task<Digest> PushAsync(LocalImage image, Reference destination, IProgress<TransferProgress>? progress, CancellationToken ct = default)
    {
        var repo = RemoteRepository.For(client, destination);
        var target = image.Target;
        Digest pushed;
        if (MediaTypes.IsIndex(target.MediaType))
        {
            var idx = images.ReadIndex(target);
            foreach (var child in idx.Manifests)
            {
                if (!MediaTypes.IsManifest(child.MediaType)) continue;
                if (!images.Content.Exists(child.ParsedDigest))
                    throw new BlobNotFoundException(child.ParsedDigest); // a partial index cannot be pushed as it is
                await PushManifestAsync(repo, child, child.Digest, progress, ct);
            }
            pushed = await repo.PutManifestAsync(destination.Object, images.ReadBlob(target), target.MediaType, ct);
        }
        else pushed = await PushManifestAsync(repo, target, destination.Object, progress, ct);
        progress?.Report(new TransferProgress(destination.Familiar, TransferPhase.Done, Detail: $"digest: {pushed} size: {target.Size}"));
        return pushed;
    }

    async Task<Digest> PushManifestAsync(RemoteRepository repo, Descriptor manifestDesc, string tagOrDigest, IProgress<TransferProgress>? progress, CancellationToken ct)
    {
        var m = images.ReadManifest(manifestDesc);
        var blobs = new List<Descriptor>(m.Layers) { m.Config };
        using var gate = new SemaphoreSlim(client.Options.ConcurrentUploads);
        await Task.WhenAll(blobs.Select(async b =>
        {
            await gate.WaitAsync(ct);
            try { await PushBlobAsync(repo, b, progress, ct); }
            finally { gate.Release(); }
        }));
        return await repo.PutManifestAsync(tagOrDigest, images.ReadBlob(manifestDesc), manifestDesc.MediaType, ct);
    }

    async Task PushBlobAsync(RemoteRepository repo, Descriptor b, IProgress<TransferProgress>? progress, CancellationToken ct)
    {
        var d = b.ParsedDigest;
        if (!images.Content.Exists(d)) throw new BlobNotFoundException(d);
        if (await repo.BlobExistsAsync(d, ct))
        {
            progress?.Report(new TransferProgress(d.Short, TransferPhase.Exists, b.Size, b.Size, "Layer already exists"));
            return;
        }
        Uri? location = null;
        foreach (var from in images.Sources.On(d, repo.Registry))
        {
            if (from == repo.Path) continue;
            var (mounted, upload) = await repo.MountBlobAsync(d, from, ct);
            if (mounted)
            {
                progress?.Report(new TransferProgress(d.Short, TransferPhase.Mounted, b.Size, b.Size, $"Mounted from {from}"));
                images.Sources.Add(d, repo.Registry, repo.Path);
                return;
            }
            location ??= upload;
            break;
        }
        var rep = new Progress<long>(n => progress?.Report(new TransferProgress(d.Short, TransferPhase.Uploading, n, b.Size)));
        await repo.UploadBlobAsync(d, b.Size, () => images.Content.OpenRead(d), location, progress is null ? null : rep, ct);
        images.Sources.Add(d, repo.Registry, repo.Path);
        progress?.Report(new TransferProgress(d.Short, TransferPhase.Pushed, b.Size, b.Size, "Pushed"));
    }
}
