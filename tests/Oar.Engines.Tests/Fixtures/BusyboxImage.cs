using System.Security.Cryptography;
using System.Text;

namespace Oar.Engines.Tests.Fixtures;

/// <summary>The test image, made without any registry: a rootfs of Debian's busybox-static (one binary and a link
/// per applet), as a plain tarball (for `docker import`/`podman import`) and as an OCI image layout archive
/// (for `ctr image import`).</summary>
public sealed class BusyboxImage : IDisposable
{
    public string Dir { get; }
    public string Rootfs => Path.Combine(Dir, "rootfs");
    public string Tarball => Path.Combine(Dir, "rootfs.tar");
    public string OciArchive => Path.Combine(Dir, "oci.tar");
    public const string OciName = "docker.io/library/skiff-busybox:latest";

    public BusyboxImage(string dir)
    {
        Dir = dir;
        if (!File.Exists("/bin/busybox")) throw new InvalidOperationException("/bin/busybox is missing: apt-get install busybox-static");
        var bin = Path.Combine(Rootfs, "bin");
        Directory.CreateDirectory(bin);
        File.Copy("/bin/busybox", Path.Combine(bin, "busybox"), overwrite: true);
        foreach (var applet in Command.Check("/bin/busybox", "--list").Split('\n', StringSplitOptions.RemoveEmptyEntries))
            if (applet != "busybox") File.CreateSymbolicLink(Path.Combine(bin, applet), "busybox");
        foreach (var d in new[] { "proc", "sys", "dev", "etc", "tmp", "root" }) Directory.CreateDirectory(Path.Combine(Rootfs, d));
        File.WriteAllText(Path.Combine(Rootfs, "etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000:user:/tmp:/bin/sh\n");
        File.WriteAllText(Path.Combine(Rootfs, "etc/group"), "root:x:0:\nuser:x:1000:\n");
        Command.Check("tar", "-C", Rootfs, "-cf", Tarball, ".");
        WriteOciArchive();
    }

    /// <summary>oci-layout + index.json + blobs (uncompressed layer, config, manifest), tarred.</summary>
    void WriteOciArchive()
    {
        var layout = Path.Combine(Dir, "oci");
        var blobs = Path.Combine(layout, "blobs", "sha256");
        Directory.CreateDirectory(blobs);
        string Blob(byte[] content)
        {
            var digest = Convert.ToHexStringLower(SHA256.HashData(content));
            File.WriteAllBytes(Path.Combine(blobs, digest), content);
            return "sha256:" + digest;
        }
        var layer = File.ReadAllBytes(Tarball);
        var layerDigest = Blob(layer);
        var config = Encoding.UTF8.GetBytes($$$"""
            {"architecture":"amd64","os":"linux","config":{"Env":["PATH=/bin"],"Cmd":["sh"]},
             "rootfs":{"type":"layers","diff_ids":["{{{layerDigest}}}"]}}
            """);
        var configDigest = Blob(config);
        var manifest = Encoding.UTF8.GetBytes($$$"""
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
             "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{{configDigest}}}","size":{{{config.Length}}}},
             "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{{{layerDigest}}}","size":{{{layer.Length}}}}]}
            """);
        var manifestDigest = Blob(manifest);
        File.WriteAllText(Path.Combine(layout, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        File.WriteAllText(Path.Combine(layout, "index.json"), $$$"""
            {"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json",
             "digest":"{{{manifestDigest}}}","size":{{{manifest.Length}}},
             "annotations":{"io.containerd.image.name":"{{{OciName}}}","org.opencontainers.image.ref.name":"latest"}}]}
            """);
        Command.Check("tar", "-C", layout, "-cf", OciArchive, ".");
    }

    public void Dispose() => HostCleanup.RemoveTree(Dir);
}
