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
            throw new Engine.EngineException(Engine.EngineErrorKind.NotFound, $"pull access denied for {reference!.Familiar}: {e.Message}", e);
        }
    }
}
