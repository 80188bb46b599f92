using Skiff.Images.References;
using Skiff.Images.Transfer;

namespace Skiff.Cli.Commands;

/// <summary>`--pull missing|always|never` for run and create: docker's "Unable to find image 'x' locally" then a pull.</summary>
public static class ImageAcquire
{
    public static async Task Ensure(Context ctx, string image, string? policy, bool quiet)
    {
        policy ??= "missing";
        if (policy is not ("missing" or "always" or "never"))
            throw new Engine.EngineException(Engine.EngineErrorKind.InvalidArgument, $"invalid pull option: '{policy}': must be one of \"always\", \"missing\" or \"never\"");
        bool have = ctx.Images.TryResolve(image) is not null;
        if (policy == "never" || (policy == "missing" && have)) return;
        if (!Reference.TryParse(image, out var reference, out _)) return; // an ID prefix: nothing to pull
        if (!have) ctx.Err.WriteLine($"Unable to find image '{reference!.Familiar}' locally");
        using var client = ctx.Registry(false);
        var view = quiet ? null : new ProgressView(ctx.Err, ctx.Terminal);
        try { await new Puller(ctx.Images, client).PullAsync(reference!, null, view); }
        catch (Exception e) when (!have || policy == "always")
        {
            throw new Engine.EngineException(Engine.EngineErrorKind.NotFound, PullFailure(reference!, e), e);
        }
    }

    /// <summary>docker's wording for a failed pull: a missing tag is "manifest for R not found: manifest unknown: …", a
    /// refused repository "pull access denied for R, repository does not exist or may require 'docker login': …".</summary>
    static string PullFailure(Reference reference, Exception e)
    {
        if (e is AggregateException { InnerExceptions.Count: 1 } a) e = a.InnerExceptions[0];
        if (e is Images.Registry.RegistryException r)
        {
            if (r.Code is "MANIFEST_UNKNOWN" || (r.NotFound && r.Code is null))
                return $"manifest for {reference.Familiar} not found: manifest unknown: manifest unknown";
            if (r.Code is "NAME_UNKNOWN" || r.Status is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden)
                return $"pull access denied for {(reference with { Tag = null, Digest = null }).Familiar}, repository does not exist or may require 'docker login': {r.Message}";
        }
        return $"pulling {reference.Familiar}: {e.Message}";
    }
}
