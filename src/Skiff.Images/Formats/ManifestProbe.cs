using System.Text.Json.Serialization;

namespace Skiff.Images.Formats;

/// <summary>The fields that tell what a manifest document is when no Content-Type says it.</summary>
public sealed record ManifestProbe
{
    [JsonPropertyName("schemaVersion")] public int SchemaVersion { get; init; }
    [JsonPropertyName("mediaType")] public string? MediaType { get; init; }
    [JsonPropertyName("manifests")] public System.Text.Json.JsonElement? Manifests { get; init; }
    [JsonPropertyName("config")] public System.Text.Json.JsonElement? Config { get; init; }

    /// <summary>The media type of a manifest body: its own mediaType field, else the HTTP one, else guessed from shape.</summary>
    public static string Detect(ReadOnlySpan<byte> body, string? contentType)
    {
        ManifestProbe? p;
        try { p = System.Text.Json.JsonSerializer.Deserialize(body, WireJson.Default.ManifestProbe); }
        catch (System.Text.Json.JsonException e) { throw new InvalidDataException($"manifest is not valid JSON: {e.Message}"); }
        if (p is null) throw new InvalidDataException("manifest is empty");
        if (p.SchemaVersion == 1) throw new UnsupportedMediaTypeException(MediaTypes.DockerManifestV1Signed);
        if (!string.IsNullOrEmpty(p.MediaType)) return p.MediaType;
        var ct = contentType?.Split(';')[0].Trim();
        if (MediaTypes.IsIndex(ct) || MediaTypes.IsManifest(ct)) return ct!;
        if (p.Manifests is not null) return MediaTypes.OciIndex;
        if (p.Config is not null) return MediaTypes.OciManifest;
        throw new UnsupportedMediaTypeException(ct ?? "(none)");
    }
}
