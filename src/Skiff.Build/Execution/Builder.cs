using Skiff.Build.Cache;
using Skiff.Build.Context;
using Skiff.Build.Syntax;
using Skiff.Images;
using Skiff.Images.Transfer;

namespace Skiff.Build.Execution;

/// <summary>Runs a Dockerfile: parse, pick the target stage and the stages it needs (others are skipped), build those
/// concurrently (a stage waits only for the stages it uses), then store the result as an image and tag it.</summary>
public sealed class Builder(ImageService images, BuildOptions options, IBuildProgress? progress = null)
{
    readonly IBuildProgress _progress = progress ?? IBuildProgress.None;

    public async Task<BuildResult> BuildAsync(CancellationToken ct = default)
    {
        var dockerfile = DockerfileParser.Parse(options.DockerfileText, options.DockerfileName);
        if (dockerfile.Stages.Count == 0) throw new BuildException($"{options.DockerfileName}: the Dockerfile has no FROM instruction");
        var plan = StagePlan.Make(dockerfile, options);
        if (plan.Build.UnusedBuildArgsWarning is { } warn) _progress.Message(warn);
        foreach (var w in dockerfile.Warnings) _progress.Message(w.ToString());
        using var gc = images.LockShared();
        var cache = new CacheStore(images);
        string runtimePath;
        try { runtimePath = RuntimeBinary.Locate(); } catch (BuildException) { runtimePath = "oar"; }
        var runtime = new ContainerRun(runtimePath, Path.Combine(cache.Root, "oar"));
        using var ws = new Workspace(images, cache.Root, runtime);
        ContextIndex? index = options.ContextDir is null ? null : new ContextIndex(cache.Root, options.ContextDir);
        var session = new BuildSession
        {
            Images = images,
            Cache = cache,
            Workspace = ws,
            Runtime = runtime,
            Layers = new LayerStep(images, ws, options.Compression),
            Options = options,
            Progress = _progress,
            Context = options.ContextDir is null ? null : new SourceTree(options.ContextDir, isContext: true, options.Excluded, index),
            Dockerfile = dockerfile,
        };
        var tasks = new Dictionary<int, Lazy<Task<StageState>>>();
        using var failFast = CancellationTokenSource.CreateLinkedTokenSource(ct);
        foreach (var idx in plan.Needed)
        {
            var stage = dockerfile.Stages[idx];
            tasks[idx] = new Lazy<Task<StageState>>(() => Task.Run(async () =>
            {
                try { return await new StageExecutor(session, stage, plan).RunAsync(failFast.Token); }
                catch { failFast.Cancel(); throw; }
            }));
        }
        session.StageResult = i => tasks.TryGetValue(i, out var t) ? t.Value : throw new BuildException($"stage {i} is not part of this build");
        foreach (var t in tasks.Values) _ = t.Value;
        StageState final;
        try
        {
            final = await tasks[plan.Target].Value;
            await Task.WhenAll(tasks.Values.Select(t => t.Value));
        }
        catch (Exception) when (ct.IsCancellationRequested) { throw new OperationCanceledException(ct); }
        catch (Exception) when (failFast.IsCancellationRequested)
        {
            // report the first real failure, not the cancellations it caused in other stages
            var first = tasks.Values.Select(t => t.Value).Where(t => t.IsFaulted)
                .Select(t => t.Exception!.InnerException!).FirstOrDefault(e => e is not OperationCanceledException);
            if (first is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
            throw;
        }
        index?.Save();
        foreach (var (k, v) in options.Labels) final.Labels[k] = v;
        var config = final.ToImageConfig();
        var img = new ImageWriter(images).Store(config, final.Layers.Select(l => l.Blob).ToArray(), null, oci: !options.DockerFormat);
        foreach (var tag in options.Tags)
            images.Images.Set(Images.References.Reference.Parse(tag).ToString(), img.Target);
        return new BuildResult(img, session.StepsRun, session.StepsCached);
    }
}
