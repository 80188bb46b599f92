using Skiff.Build.Syntax;

namespace Skiff.Build.Execution;

/// <summary>Which stages a build runs and how they connect, from the parser's <see cref="BuildPlanner"/> (which checks
/// every stage and arg reference before anything runs): the target, the stages it needs (others are skipped), each
/// stage's resolved base, the global ARG values; plus the step numbers (#N in the progress output).</summary>
public sealed class StagePlan
{
    public required BuildPlan Build { get; init; }
    public required int Target { get; init; }
    public required IReadOnlyList<int> Needed { get; init; }
    public required IReadOnlyDictionary<string, string> GlobalArgs { get; init; }
    /// <summary>Stage index → the step number of its FROM (its instructions follow).</summary>
    public required IReadOnlyDictionary<int, int> FirstStep { get; init; }
    public required Expander Expander { get; init; }

    public static StagePlan Make(Dockerfile df, BuildOptions o)
    {
        var bp = BuildPlanner.Plan(df, new Syntax.BuildOptions
        {
            BuildArgs = o.BuildArgs,
            Target = o.Target,
            Platforms = o.Platform is { } p ? PlatformArgs.ForTarget(p.ToString()) : PlatformArgs.Host,
        });
        var needed = bp.Needed.Select(s => s.Index).Order().ToList();
        var first = new Dictionary<int, int>();
        int n = 1;
        foreach (var i in needed) { first[i] = n; n += 1 + df.Stages[i].Instructions.Count; }
        return new StagePlan
        {
            Build = bp, Target = bp.Target.Index, Needed = needed, GlobalArgs = bp.GlobalArgs, FirstStep = first,
            Expander = new Expander(df.Directives.Escape),
        };
    }

    public SourceRef Base(int stage) => Build.Stages[stage].Base;

    /// <summary>What --from names in stage <paramref name="stage"/>: an earlier stage or an image.</summary>
    public SourceRef Source(string from, int stage) => Build.ResolveSource(from, stage);
}
