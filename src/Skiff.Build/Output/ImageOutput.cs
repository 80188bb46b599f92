using System.Diagnostics;
using Skiff.Images;
using Skiff.Images.Archive;
using Skiff.Images.Formats;
using Skiff.Images.Layers;

namespace Skiff.Build.Output;

/// <summary>--output: <c>type=oci,dest=FILE|DIR</c> (an OCI layout: a tar file, or a directory when dest ends in / or is
/// one), <c>type=docker,dest=FILE</c> (a docker-archive for docker load), <c>type=local,dest=DIR</c> (the image's files),
/// <c>type=image</c> (the store, the default). "-" as dest writes the tar to stdout.</summary>
public sealed record ImageOutput(string Type, string? Dest, string? Name)
{
    public static ImageOutput Parse(string spec)
    {
        string? type = null, dest = null, name = null;
        foreach (var part in spec.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            if (eq < 0)
            {
                if (type is null && !part.Contains('/')) { type = "local"; dest = part; continue; }
                throw new BuildException($"--output {spec}: \"{part}\" is not key=value");
            }
            var (k, v) = (part[..eq].Trim().ToLowerInvariant(), part[(eq + 1)..].Trim());
            switch (k)
            {
                case "type": type = v.ToLowerInvariant(); break;
                case "dest": dest = v; break;
                case "name": name = v; break;
                default: break; // docker's other attributes (compression, push, …) are accepted and ignored
            }
        }
        type ??= "local";
        if (type is not ("oci" or "docker" or "local" or "image" or "tar"))
            throw new BuildException($"--output: unknown type \"{type}\" (oci, docker, local, tar, image)");
        if (type is not "image" && string.IsNullOrEmpty(dest)) throw new BuildException($"--output type={type}: dest= is required");
        return new ImageOutput(type, dest, name);
    }

    public void Write(ImageService images, LocalImage img, string? tag)
    {
        var name = Name ?? tag;
        switch (Type)
        {
            case "image": return;
            case "docker":
                using (var o = Open()) DockerArchiveWriter.Write(images, [(img, name)], o);
                return;
            case "oci":
                if (Dest != "-" && (Dest!.EndsWith('/') || Directory.Exists(Dest))) { OciLayoutWriter.Write(images, [(img, name)], Dest); return; }
                var tmp = Path.Combine(images.TempDir, "oci-out-" + Guid.NewGuid().ToString("n"));
                try
                {
                    OciLayoutWriter.Write(images, [(img, name)], tmp);
                    using var o = Open();
                    TarDirectory(tmp, o);
                }
                finally { if (Directory.Exists(tmp)) Directory.Delete(tmp, true); }
                return;
            case "local":
                Directory.CreateDirectory(Dest!);
                Unpack(images, img, Dest!);
                return;
            case "tar":
                var dir = Path.Combine(images.TempDir, "tar-out-" + Guid.NewGuid().ToString("n"));
                try
                {
                    Directory.CreateDirectory(dir);
                    Unpack(images, img, dir);
                    using var o = Open();
                    TarDirectory(dir, o);
                }
                finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
                return;
        }
    }

    Stream Open() => Dest == "-" ? Console.OpenStandardOutput() : File.Create(Dest!);

    static void Unpack(ImageService images, LocalImage img, string dir)
    {
        using var applier = new LayerApplier(dir, WhiteoutStyle.Delete);
        for (int i = 0; i < img.Manifest.Layers.Length; i++)
        {
            var l = img.Manifest.Layers[i];
            using var blob = images.Content.OpenRead(l.ParsedDigest);
            using var plain = Decompression.Open(blob, MediaTypes.LayerCompression(l.MediaType));
            applier.Apply(plain);
        }
    }

    static void TarDirectory(string dir, Stream output)
    {
        var psi = new ProcessStartInfo("tar", ["-C", dir, "-cf", "-", "."]) { RedirectStandardOutput = true, UseShellExecute = false };
        using var p = Process.Start(psi)!;
        p.StandardOutput.BaseStream.CopyTo(output);
        p.WaitForExit();
        if (p.ExitCode != 0) throw new BuildException("--output: tar failed");
    }
}
