using Skiff.Images.Registry;

namespace Skiff.Images.Tests.Services;

/// <summary>A throwaway skiff root and a registry client for it.</summary>
public sealed class Store : IDisposable
{
    readonly TempDir _t = new("store");
    public ImageService Images { get; }
    public RegistryClient Client { get; }
    public string Root => _t.Path;

    public Store(Credentials? creds = null, string? snapshotter = null)
    {
        Images = ImageService.Open(_t.Path, snapshotter);
        Client = new RegistryClient(new RegistryOptions { Credentials = creds is null ? null : new Fixed(creds), FirstBackoff = TimeSpan.FromMilliseconds(20) });
    }

    public sealed class Fixed(Credentials c) : ICredentialSource { public Credentials? Get(string registry) => c; }

    public static readonly Credentials Skiff = new("skiff", "skiffpass");

    /// <summary>Reads a file of an image through a read-only mount of its top snapshot.</summary>
    public byte[] ReadFile(LocalImage img, string path)
    {
        var key = "view-" + Guid.NewGuid().ToString("n")[..8];
        Images.Snapshots.View(key, img.ChainIds[^1].ToString());
        var mnt = Path.Combine(_t.Path, key);
        Directory.CreateDirectory(mnt);
        foreach (var m in Images.Snapshots.Mounts(key)) m.MountOn(mnt);
        try { return File.ReadAllBytes(Path.Combine(mnt, path)); }
        finally { Linux.Mounts.Unmount(mnt, Linux.Mounts.MNT_DETACH); Images.Snapshots.Remove(key); }
    }

    public void Dispose()
    {
        Client.Dispose();
        _t.Dispose();
    }
}
