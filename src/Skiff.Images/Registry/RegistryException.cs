using System.Net;

namespace Skiff.Images.Registry;

/// <summary>A registry answered with an error: HTTP status, the distribution-spec error code and message.</summary>
public sealed class RegistryException(string message, HttpStatusCode? status = null, string? code = null) : Exception(message)
{
    public HttpStatusCode? Status { get; } = status;
    public string? Code { get; } = code;
    public bool NotFound => Status == HttpStatusCode.NotFound || Code is "MANIFEST_UNKNOWN" or "BLOB_UNKNOWN" or "NAME_UNKNOWN";
}
