using System.Collections.Concurrent;
using Skiff.Build.Cache;
using Skiff.Build.Context;
using Skiff.Images;
using Skiff.Images.References;
using Skiff.Images.Registry;
using Skiff.Images.Transfer;

namespace Skiff.Build.Execution;

/// <summary>What every step of one build shares: the store, the cache, the workspace, the runtime, the context tree,
/// images resolved for FROM/--from (pulled once when missing or with --pull) and the results of other stages.</summary>
public sealed class BuildSession
{
    readonly ConcurrentDictionary<string, Lazy<Task<LocalImage>>> _images = new(StringComparer.Ordinal);

    public required ImageService Images { get; init; }
    public required CacheStore Cache { get; init; }
    public required Workspace Workspace { get; init; }
    public required ContainerRun Runtime { get; init; }
    public required LayerStep Layers { get; init; }
    public required BuildOptions Options { get; init; }
    public required IBuildProgress Progress { get; init; }
    public required SourceTree? Context { get; init; }
    public required Syntax.Dockerfile Dockerfile { get; init; }
    /// <summary>Stage index → its running build; set by the builder before stages start.</summary>
    public Func<int, Task<StageState>> StageResult { get; set; } = _ => throw new InvalidOperationException();
    public Skiff.Images.Formats.Platform Platform => Options.Platform ?? Skiff.Images.Formats.Platform.Host;
    public int StepsRun;
    public int StepsCached;

    public SourceTree RequireContext(string what)
        => Context ?? throw new BuildException($"{what}: no build context (the Dockerfile came on stdin without one)");

    public Task<LocalImage> Image(string name, CancellationToken ct)
        => _images.GetOrAdd(name, n => new Lazy<Task<LocalImage>>(() => ResolveImage(n, ct))).Value;

    async Task<LocalImage> ResolveImage(string name, CancellationToken ct)
    {
        if (!Reference.TryParse(name, out var r, out var err))
            throw new BuildException($"invalid image reference \"{name}\": {err}");
        if (!Options.Pull && Images.TryResolve(r!.ToString(), Platform) is { } local) return local;
        var client = new RegistryClient(new RegistryOptions { Credentials = DockerConfig.Default(), Insecure = Options.Insecure });
        try
        {
            Progress.Message($"pulling {r!.Familiar}");
            return await new Puller(Images, client).PullAsync(r!, Platform, null, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException && !Options.Pull)
        {
            throw new BuildException($"failed to resolve image \"{name}\": not found locally, and pulling failed: {e.Message}", e);
        }
        catch (Exception e) when (e is not OperationCanceledException && Options.Pull && Images.TryResolve(r!.ToString(), Platform) is not null)
        {
            Progress.Message($"--pull: {e.Message}; using the local {r!.Familiar}");
            return Images.Resolve(r!.ToString(), Platform);
        }
    }
}
