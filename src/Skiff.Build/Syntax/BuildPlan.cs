namespace Skiff.Build.Syntax;

/// <summary>A Dockerfile checked against its build options before anything runs: every stage's base resolved
/// (<see cref="PlannedStage.Base"/>), the stages the target needs (<see cref="Needed"/>, in an order where each comes
/// after those it uses), the global ARG values (for FROM lines and for <c>ARG NAME</c> re-declarations in stages),
/// and the <c>--build-arg</c>s nothing declares.</summary>
public sealed record BuildPlan(
    Dockerfile Dockerfile,
    IReadOnlyList<PlannedStage> Stages,
    PlannedStage Target,
    IReadOnlyList<PlannedStage> Needed,
    IReadOnlyDictionary<string, string> GlobalArgs,
    IReadOnlyDictionary<string, string> BuildArgs,
    IReadOnlyList<string> UnusedBuildArgs)
{
    /// <summary>Docker's warning for build args nothing consumed, or null.</summary>
    public string? UnusedBuildArgsWarning => UnusedBuildArgs.Count == 0
        ? null
        : $"[Warning] One or more build-args [{string.Join(" ", UnusedBuildArgs)}] were not consumed";

    /// <summary>What <c>COPY --from=<paramref name="from"/></c> or <c>RUN --mount=...,from=<paramref name="from"/></c>
    /// in stage <paramref name="stageIndex"/> uses: an earlier stage (by name or index) or an image. Already checked by
    /// the planner for the needed stages.</summary>
    public SourceRef ResolveSource(string from, int stageIndex) =>
        BuildPlanner.ResolveSourceName(Dockerfile, from, stageIndex, Dockerfile.Stages[stageIndex].Position);
}

/// <summary>One stage with its base resolved: <see cref="Base"/> is scratch, an earlier stage or an image;
/// <see cref="Platform"/> the expanded <c>--platform</c> (null when not given); <see cref="Dependencies"/> the
/// stage indexes it needs (base, <c>COPY --from</c>, <c>RUN --mount from=</c>), in ascending order.</summary>
public sealed record PlannedStage(
    Stage Stage,
    SourceRef Base,
    string? Platform,
    IReadOnlyList<int> Dependencies)
{
    public int Index => Stage.Index;
}
