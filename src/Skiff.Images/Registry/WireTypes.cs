using System.Text.Json.Serialization;

namespace Skiff.Images.Registry;

/// <summary>A token endpoint's answer (docker token auth; "access_token" is the OAuth2 spelling).</summary>
public sealed record TokenResponse
{
    [JsonPropertyName("token")] public string? Token { get; init; }
    [JsonPropertyName("access_token")] public string? AccessToken { get; init; }
    [JsonPropertyName("expires_in")] public int ExpiresIn { get; init; }
}

/// <summary>distribution-spec error body: {"errors":[{"code","message","detail"}]}.</summary>
public sealed record RegistryErrors
{
    [JsonPropertyName("errors")] public RegistryError[]? Errors { get; init; }
}

public sealed record RegistryError
{
    [JsonPropertyName("code")] public string? Code { get; init; }
    [JsonPropertyName("message")] public string? Message { get; init; }
}

public sealed record TagList
{
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("tags")] public string[]? Tags { get; init; }
}

/// <summary>~/.docker/config.json, the parts skiff reads and writes (other keys are kept as they are).</summary>
public sealed record DockerConfigFile
{
    [JsonPropertyName("auths")] public Dictionary<string, DockerAuthEntry>? Auths { get; init; }
    [JsonExtensionData] public Dictionary<string, System.Text.Json.JsonElement>? Extra { get; set; }
}

public sealed record DockerAuthEntry
{
    [JsonPropertyName("auth"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Auth { get; init; }
    [JsonPropertyName("identitytoken"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? IdentityToken { get; init; }
    [JsonExtensionData] public Dictionary<string, System.Text.Json.JsonElement>? Extra { get; set; }
}
