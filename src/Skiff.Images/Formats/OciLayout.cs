using System.Text.Json.Serialization;

namespace Skiff.Images.Formats;

/// <summary>The "oci-layout" marker file of an OCI image layout.</summary>
public sealed record OciLayout
{
    [JsonPropertyName("imageLayoutVersion")] public string ImageLayoutVersion { get; init; } = "1.0.0";

    public const string RefNameAnnotation = "org.opencontainers.image.ref.name";
    public const string ContainerdNameAnnotation = "io.containerd.image.name";
}
