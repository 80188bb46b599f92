using System.Text.Json.Serialization;

namespace Skiff.Images.Formats;

/// <summary>Source-generated JSON for every wire and on-disk type of Skiff.Images (no reflection; AOT-safe).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never, WriteIndented = false)]
[JsonSerializable(typeof(Descriptor))]
[JsonSerializable(typeof(Manifest))]
[JsonSerializable(typeof(Index))]
[JsonSerializable(typeof(ImageConfig))]
[JsonSerializable(typeof(ManifestProbe))]
[JsonSerializable(typeof(OciLayout))]
[JsonSerializable(typeof(DockerArchiveEntry[]))]
[JsonSerializable(typeof(Registry.TokenResponse))]
[JsonSerializable(typeof(Registry.DockerConfigFile))]
[JsonSerializable(typeof(Registry.RegistryErrors))]
[JsonSerializable(typeof(Registry.TagList))]
[JsonSerializable(typeof(Metadata.ImageRecord[]))]
[JsonSerializable(typeof(Snapshots.SnapshotInfo))]
public partial class WireJson : JsonSerializerContext;
