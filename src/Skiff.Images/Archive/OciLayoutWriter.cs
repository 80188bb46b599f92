using System.Text.Json;
using Skiff.Images.Formats;

namespace Skiff.Images.Archive;

/// <summary>Writes images as an OCI image layout directory (oci-layout, index.json, blobs/ALG/HEX) — what `skopeo copy
/// oci:DIR:TAG` reads. Blobs are copied as stored, so digests are the registry's.</summary>
public static class OciLayoutWriter
{
    public static void Write(ImageService images, IReadOnlyList<(LocalImage Image, string? Name)> list, string dir)
    {
        Directory.CreateDirectory(Path.Combine(dir, "blobs", "sha256"));
        File.WriteAllBytes(Path.Combine(dir, "oci-layout"), JsonSerializer.SerializeToUtf8Bytes(new OciLayout(), WireJson.Default.OciLayout));
        var manifests = new List<Descriptor>();
        var existing = Path.Combine(dir, "index.json");
        if (File.Exists(existing))
            manifests.AddRange(JsonSerializer.Deserialize(File.ReadAllBytes(existing), WireJson.Default.Index)?.Manifests ?? []);
        foreach (var (img, name) in list)
        {
            CopyTree(images, img.Target, dir);
            var ann = new Dictionary<string, string>();
            if (name is not null)
            {
                var r = References.Reference.Parse(name);
                ann[OciLayout.ContainerdNameAnnotation] = r.ToString();
                ann[OciLayout.RefNameAnnotation] = r.Tag ?? r.Digest ?? "latest";
                manifests.RemoveAll(m => m.Annotations?.GetValueOrDefault(OciLayout.RefNameAnnotation) == ann[OciLayout.RefNameAnnotation]);
            }
            manifests.Add(img.Target with { Annotations = ann.Count > 0 ? ann : null });
        }
        var index = new Formats.Index { SchemaVersion = 2, MediaType = MediaTypes.OciIndex, Manifests = manifests.ToArray() };
        File.WriteAllBytes(existing, JsonSerializer.SerializeToUtf8Bytes(index, WireJson.Default.Index));
    }

    static void CopyTree(ImageService images, Descriptor d, string dir)
    {
        CopyBlob(images, d, dir);
        if (MediaTypes.IsIndex(d.MediaType))
        {
            foreach (var c in images.ReadIndex(d).Manifests)
                if (images.Content.Exists(c.ParsedDigest)) CopyTree(images, c, dir);
            return;
        }
        var m = images.ReadManifest(d);
        CopyBlob(images, m.Config, dir);
        foreach (var l in m.Layers) CopyBlob(images, l, dir);
    }

    static void CopyBlob(ImageService images, Descriptor d, string dir)
    {
        var dg = d.ParsedDigest;
        var dst = Path.Combine(dir, "blobs", dg.Algorithm, dg.Hex);
        if (File.Exists(dst)) return;
        Directory.CreateDirectory(Path.GetDirectoryName(dst)!);
        File.Copy(images.Content.BlobPath(dg), dst + ".tmp", overwrite: true);
        File.Move(dst + ".tmp", dst, overwrite: true);
    }
}
