namespace Skiff.Images.Registry;

/// <summary>A user name and password (or identity token) for one registry.</summary>
public sealed record Credentials(string Username, string Password, string? IdentityToken = null);

/// <summary>Where credentials come from: ~/.docker/config.json, or anything the caller plugs in.</summary>
public interface ICredentialSource
{
    Credentials? Get(string registry);
}
