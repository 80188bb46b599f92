using System.Globalization;
using Skiff.Images.References;

namespace Skiff.Build.Syntax;

/// <summary>Checks a parsed Dockerfile against build options before anything runs, as docker's frontend does:
/// global ARG values (build args override defaults, defaults expand against earlier ones and the platform args),
/// FROM base names and platforms expanded with them (blank or invalid names refused), <c>--target</c> found,
/// <c>COPY --from</c> and <c>RUN --mount from=</c> resolved to an earlier stage or an image (no variables allowed,
/// as docker), the stages the target needs, and the build args nothing declares.</summary>
public static class BuildPlanner
{
    public static BuildPlan Plan(Dockerfile dockerfile, BuildOptions? options = null)
    {
        options ??= new BuildOptions();
        var lex = new Expander(dockerfile.Directives.Escape);
        var stages = dockerfile.Stages;

        Stage target = stages[^1];
        if (!string.IsNullOrEmpty(options.Target))
        {
            target = stages.FirstOrDefault(s => s.Name is not null && s.Name == options.Target.ToLowerInvariant())
                ?? throw new DockerfileSyntaxException(new SourcePosition(dockerfile.FileName, 1, 1),
                    $"target stage \"{options.Target}\" could not be found"
                    + (stages.Any(s => s.Name is not null)
                        ? $" (stages: {string.Join(", ", stages.Where(s => s.Name is not null).Select(s => s.Name))})"
                        : " (no stage has a name; name one with FROM <image> AS <name>)"));
        }

        var globals = GlobalArgs(dockerfile, options, target, lex);

        // Resolve every stage's base (docker expands every FROM, even of stages the target does not need).
        var bases = new SourceRef[stages.Count];
        var platforms = new string?[stages.Count];
        for (int i = 0; i < stages.Count; i++)
        {
            var st = stages[i];
            string name = ExpandAt(lex, st.BaseName, globals, st.From.Position);
            if (name.Length == 0)
                throw new DockerfileSyntaxException(st.From.Position, $"base name ({st.BaseName}) should not be blank");
            if (st.Platform is not null)
            {
                string p = ExpandAt(lex, st.Platform, globals, st.From.Position);
                if (p.Length == 0)
                    throw new DockerfileSyntaxException(st.From.Position, $"empty platform value from expression {st.Platform}");
                if (PlatformArgs.Parse(p) is null)
                    throw new DockerfileSyntaxException(st.From.Position, $"failed to parse platform {st.Platform}: \"{p}\" is not os/arch[/variant]");
                platforms[i] = p;
            }
            int earlier = -1;
            for (int j = 0; j < i; j++)
                if (stages[j].Name is not null && stages[j].Name == name) { earlier = j; break; }
            bases[i] = name == "scratch" ? ScratchRef.Instance
                : earlier >= 0 ? new StageRef(earlier)
                : new ImageRef(name);
        }

        // Dependencies of every stage, then the ones the target reaches.
        var deps = new List<int>[stages.Count];
        for (int i = 0; i < stages.Count; i++)
        {
            var set = new SortedSet<int>();
            if (bases[i] is StageRef b) set.Add(b.Index);
            foreach (var inst in stages[i].Instructions)
                foreach (var from in FromNames(inst))
                    if (ResolveSourceName(dockerfile, from.Name, i, from.Position) is StageRef r) set.Add(r.Index);
            deps[i] = [.. set];
        }
        var needed = new SortedSet<int>();
        var stack = new Stack<int>();
        stack.Push(target.Index);
        while (stack.Count > 0)
        {
            int s = stack.Pop();
            if (!needed.Add(s)) continue;
            foreach (int d in deps[s]) stack.Push(d);
        }
        foreach (int s in needed)
            if (bases[s] is ImageRef img && !Reference.TryParse(img.Reference, out _, out var error))
                throw new DockerfileSyntaxException(stages[s].From.Position,
                    $"invalid base image \"{img.Reference}\"{(img.Reference != stages[s].BaseName ? $" (from {stages[s].BaseName})" : "")}: {error}");

        var planned = stages.Select((s, i) => new PlannedStage(s, bases[i], platforms[i], deps[i])).ToList();
        var unused = UnusedBuildArgs(dockerfile, options, needed);
        return new BuildPlan(dockerfile, planned, planned[target.Index], needed.Select(i => planned[i]).ToList(),
            globals, options.BuildArgs, unused);
    }

    private static Dictionary<string, string> GlobalArgs(Dockerfile d, BuildOptions o, Stage target, Expander lex)
    {
        var args = o.Platforms.ToArgs(target.Name ?? "");
        foreach (var k in args.Keys.ToList())
            if (o.BuildArgs.TryGetValue(k, out var ov)) args[k] = ov;
        foreach (var a in d.GlobalArgs)
            foreach (var decl in a.Args)
            {
                if (o.BuildArgs.TryGetValue(decl.Name, out var v)) args[decl.Name] = v;
                else if (decl.Default is not null) args[decl.Name] = ExpandAt(lex, decl.Default, args, a.Position);
            }
        return args;
    }

    internal static string ExpandAt(Expander lex, string word, IReadOnlyDictionary<string, string> env, SourcePosition at)
    {
        try { return lex.ProcessWord(word, env); }
        catch (ExpansionException e) { throw new DockerfileSyntaxException(at, e.Message); }
    }

    private static IEnumerable<(string Name, SourcePosition Position)> FromNames(Instruction inst)
    {
        switch (inst)
        {
            case CopyInstruction { From: not null } c:
                yield return (c.From, c.Flags.FirstOrDefault(f => f.Name == "from")?.Position ?? c.Position);
                break;
            case RunInstruction r:
                foreach (var m in r.Mounts)
                    if (m.From is not null && m.Type is RunMountType.Bind or RunMountType.Cache)
                        yield return (m.From, r.Flags.FirstOrDefault(f => f.Name == "mount" && f.Value == m.Raw)?.Position ?? r.Position);
                break;
        }
    }

    /// <summary>Resolves a <c>--from</c> name for stage <paramref name="current"/>: a stage name (case-insensitive)
    /// or index defined before it, else an image reference.</summary>
    internal static SourceRef ResolveSourceName(Dockerfile d, string from, int current, SourcePosition at)
    {
        if (from.Contains('$') && new Expander(d.Directives.Escape) { SkipUnsetEnv = false }.ProcessWord(from, new Dictionary<string, string>()) != from)
            throw new DockerfileSyntaxException(at,
                "variable expansion is not supported for --from, define a new stage with FROM using ARG from global scope as a workaround");
        var stages = d.Stages;
        string currentName = current < stages.Count ? stages[current].Name ?? $"stage-{current}" : "";
        if (int.TryParse(from, NumberStyles.None, CultureInfo.InvariantCulture, out int index))
        {
            if (index >= stages.Count)
                throw new DockerfileSyntaxException(at, $"invalid stage index {index} (the Dockerfile has {stages.Count} stage{(stages.Count == 1 ? "" : "s")}, 0 to {stages.Count - 1})");
            if (index == current)
                throw new DockerfileSyntaxException(at, $"circular dependency detected on stage: {currentName} (--from={from} is the current stage)");
            if (index > current)
                throw new DockerfileSyntaxException(at, $"cannot copy from stage \"{from}\", it needs to be defined before current stage \"{currentName}\"");
            return new StageRef(index);
        }
        string lower = from.ToLowerInvariant();
        for (int i = 0; i < stages.Count; i++)
        {
            if (stages[i].Name != lower) continue;
            if (i == current)
                throw new DockerfileSyntaxException(at, $"circular dependency detected on stage: {currentName} (--from={from} is the current stage)");
            if (i > current)
                throw new DockerfileSyntaxException(at, $"cannot copy from stage \"{from}\", it needs to be defined before current stage \"{currentName}\"");
            return new StageRef(i);
        }
        if (!Reference.TryParse(from, out _, out var error))
            throw new DockerfileSyntaxException(at, $"--from={from} is neither an earlier stage ({KnownStages(d, current)}) nor a valid image reference: {error}");
        return new ImageRef(from);
    }

    private static string KnownStages(Dockerfile d, int current)
    {
        var names = d.Stages.Take(Math.Min(current, d.Stages.Count)).Select(s => s.Name ?? s.Index.ToString(CultureInfo.InvariantCulture)).ToList();
        return names.Count == 0 ? "there are none before this one" : "known: " + string.Join(", ", names);
    }

    private static List<string> UnusedBuildArgs(Dockerfile d, BuildOptions o, IEnumerable<int> needed)
    {
        var declared = new HashSet<string>(StringComparer.Ordinal);
        foreach (var a in d.GlobalArgs) foreach (var x in a.Args) declared.Add(x.Name);
        foreach (int s in needed)
            foreach (var inst in d.Stages[s].Instructions)
            {
                if (inst is ArgInstruction a) foreach (var x in a.Args) declared.Add(x.Name);
            }
        var builtins = o.Platforms.ToArgs("");
        return o.BuildArgs.Keys
            .Where(k => !declared.Contains(k) && !PlatformArgs.ProxyArgs.Contains(k) && !builtins.ContainsKey(k)
                && !k.StartsWith("BUILDKIT_", StringComparison.Ordinal) && k != "SOURCE_DATE_EPOCH")
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
