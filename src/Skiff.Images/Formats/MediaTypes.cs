namespace Skiff.Images.Formats;

/// <summary>The media types of OCI image-spec and Docker image manifest v2 schema 2.</summary>
public static class MediaTypes
{
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciConfig = "application/vnd.oci.image.config.v1+json";
    public const string OciLayer = "application/vnd.oci.image.layer.v1.tar";
    public const string OciLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
    public const string OciLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd";
    public const string OciLayerNonDistributableGzip = "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
    public const string OciEmpty = "application/vnd.oci.empty.v1+json";

    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerConfig = "application/vnd.docker.container.image.v1+json";
    public const string DockerLayer = "application/vnd.docker.image.rootfs.diff.tar";
    public const string DockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    public const string DockerForeignLayerGzip = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";

    public const string DockerManifestV1Signed = "application/vnd.docker.distribution.manifest.v1+prettyjws";

    /// <summary>What a pull asks a registry for, best first.</summary>
    public static readonly string[] Accept = [OciIndex, DockerManifestList, OciManifest, DockerManifest];

    public static bool IsIndex(string? mt) => mt is OciIndex or DockerManifestList;
    public static bool IsManifest(string? mt) => mt is OciManifest or DockerManifest;
    public static bool IsConfig(string? mt) => mt is OciConfig or DockerConfig;

    public static bool IsLayer(string? mt) => mt is not null && (mt.StartsWith("application/vnd.oci.image.layer.", StringComparison.Ordinal)
        || mt.StartsWith("application/vnd.docker.image.rootfs.", StringComparison.Ordinal));

    public static Compression LayerCompression(string mediaType) => mediaType switch
    {
        _ when mediaType.EndsWith("+gzip", StringComparison.Ordinal) || mediaType.EndsWith(".tar.gzip", StringComparison.Ordinal) => Compression.Gzip,
        _ when mediaType.EndsWith("+zstd", StringComparison.Ordinal) => Compression.Zstd,
        _ when mediaType.EndsWith(".tar", StringComparison.Ordinal) => Compression.None,
        _ => throw new UnsupportedMediaTypeException(mediaType),
    };
}

public enum Compression { None, Gzip, Zstd }

public sealed class UnsupportedMediaTypeException(string mediaType)
    : Exception($"unsupported media type \"{mediaType}\"")
{
    public string MediaType { get; } = mediaType;
}
