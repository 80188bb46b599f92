using Skiff.Build.Syntax;

namespace Skiff.Build.Execution;

/// <summary>Which stages a build runs: the target (--target or the last) and, transitively, the stages it uses through
/// FROM, COPY --from and RUN --mount from=. Others are skipped. Also numbers the steps (#N in the progress output) and
/// resolves the global ARGs (those before the first FROM) that FROM lines expand against.</summary>
public sealed class StagePlan
{
    public required int Target { get; init; }
    public required IReadOnlyList<int> Needed { get; init; }
    public required IReadOnlyDictionary<string, string> GlobalArgs { get; init; }
    /// <summary>Stage index → the step number of its FROM (its instructions follow).</summary>
    public required IReadOnlyDictionary<int, int> FirstStep { get; init; }
    public required Expander Expander { get; init; }

    public static StagePlan Make(Dockerfile df, BuildOptions o)
    {
        var expander = new Expander(df.Directives.Escape);
        var global = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in PredefinedArgs.For(o.Platform ?? Images.Formats.Platform.Host)) global[k] = v;
        foreach (var a in df.GlobalArgs)
            foreach (var d in a.Args)
            {
                if (o.BuildArgs.TryGetValue(d.Name, out var v)) global[d.Name] = v;
                else if (d.Default is not null) global[d.Name] = expander.ProcessWord(d.Default, global);
            }
        int target = df.Stages.Count - 1;
        if (!string.IsNullOrEmpty(o.Target))
            target = (df.Stages.FirstOrDefault(s => string.Equals(s.Name, o.Target, StringComparison.OrdinalIgnoreCase))
                ?? throw new BuildException($"target stage \"{o.Target}\" could not be found")).Index;
        var needed = new SortedSet<int>();
        void Visit(int i)
        {
            if (!needed.Add(i)) return;
            var s = df.Stages[i];
            if (Resolve(df, expander.ProcessWord(s.BaseName, global), i) is { } b) Visit(b);
            foreach (var ins in s.Instructions)
            {
                if (ins is CopyInstruction { From: { } f } && Resolve(df, f, i) is { } c) Visit(c);
                if (ins is RunInstruction r)
                    foreach (var m in r.Mounts)
                        if (m.From is { } mf && Resolve(df, mf, i) is { } d) Visit(d);
                if (ins is OnbuildInstruction) { }
            }
        }
        Visit(target);
        var first = new Dictionary<int, int>();
        int n = 1;
        foreach (var i in needed) { first[i] = n; n += 1 + df.Stages[i].Instructions.Count; }
        return new StagePlan { Target = target, Needed = needed.ToList(), GlobalArgs = global, FirstStep = first, Expander = expander };
    }

    /// <summary>The earlier stage a name refers to (by name, or by index as COPY --from=0 does), or null for an image.</summary>
    public static int? Resolve(Dockerfile df, string name, int before)
    {
        for (int i = 0; i < before; i++)
            if (df.Stages[i].Name is { } n && string.Equals(n, name, StringComparison.OrdinalIgnoreCase)) return i;
        if (int.TryParse(name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var idx))
        {
            if (idx < before) return idx;
            throw new BuildException($"invalid stage reference \"{name}\": stage {idx} is not before the stage that uses it");
        }
        return null;
    }
}

/// <summary>The platform args BuildKit defines without an ARG line in the global scope (TARGETPLATFORM, BUILDARCH, …).</summary>
public static class PredefinedArgs
{
    public static IEnumerable<(string, string)> For(Images.Formats.Platform target)
    {
        var build = Images.Formats.Platform.Host;
        foreach (var (prefix, p) in new[] { ("TARGET", target), ("BUILD", build) })
        {
            yield return (prefix + "PLATFORM", p.ToString());
            yield return (prefix + "OS", p.Os);
            yield return (prefix + "ARCH", p.Architecture);
            yield return (prefix + "VARIANT", p.Variant ?? "");
        }
    }
}
