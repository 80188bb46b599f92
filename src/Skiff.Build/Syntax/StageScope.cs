namespace Skiff.Build.Syntax;

/// <summary>The variables of one stage while it is built, as docker keeps them: the base's environment, then ARG and
/// ENV in order (the later one of the same name wins for expansion and for RUN; only ENV goes into the image config).
/// An <c>ARG NAME</c> without default takes the <c>--build-arg</c> value, else the global value (platform args and
/// ARGs before FROM), else stays unset; with a default, the build arg wins over the default. A stage built FROM
/// another stage starts from that stage's scope (<see cref="Clone"/>).</summary>
public sealed class StageScope
{
    private readonly IReadOnlyDictionary<string, string> _globals;
    private readonly IReadOnlyDictionary<string, string> _buildArgs;
    private readonly Expander _lex;
    private readonly List<KeyValuePair<string, string>> _all = [];
    private readonly List<KeyValuePair<string, string>> _configEnv = [];
    private readonly List<KeyValuePair<string, string?>> _args = [];

    /// <param name="imageEnv">The base image's config Env (<c>K=V</c> entries); empty for scratch.</param>
    public StageScope(BuildPlan plan, IEnumerable<string> imageEnv)
        : this(plan.GlobalArgs, plan.BuildArgs, imageEnv, plan.Dockerfile.Directives.Escape) { }

    public StageScope(IReadOnlyDictionary<string, string> globalArgs, IReadOnlyDictionary<string, string> buildArgs,
        IEnumerable<string> imageEnv, char escape = '\\')
    {
        _globals = globalArgs;
        _buildArgs = buildArgs;
        _lex = new Expander(escape);
        foreach (var e in imageEnv)
        {
            int eq = e.IndexOf('=');
            var kv = eq < 0 ? new KeyValuePair<string, string>(e, "") : new KeyValuePair<string, string>(e[..eq], e[(eq + 1)..]);
            Set(_all, kv.Key, kv.Value);
            Set(_configEnv, kv.Key, kv.Value);
        }
    }

    private StageScope(StageScope other)
    {
        _globals = other._globals;
        _buildArgs = other._buildArgs;
        _lex = other._lex;
        _all.AddRange(other._all);
        _configEnv.AddRange(other._configEnv);
        _args.AddRange(other._args);
    }

    /// <summary>A copy for a stage that uses this one as its base.</summary>
    public StageScope Clone() => new(this);

    /// <summary>Everything visible to expansion and to RUN (ENV and ARG values, later wins), in definition order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Variables => _all;

    /// <summary>The same as a lookup table.</summary>
    public IReadOnlyDictionary<string, string> Environment => _all.ToDictionary(k => k.Key, k => k.Value, StringComparer.Ordinal);

    /// <summary>The image config's Env (base image's plus ENV instructions), in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ConfigEnv => _configEnv;

    /// <summary>The ARGs declared so far with their values (null = declared but unset): what RUN steps' cache keys
    /// and history include.</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> Args => _args;

    /// <summary>Expands a word against <see cref="Environment"/>; errors carry the instruction's position.
    /// Names looked up go into <paramref name="used"/>.</summary>
    public string Expand(string word, SourcePosition at, ISet<string>? used = null)
    {
        try { return _lex.ProcessWord(word, Environment, used); }
        catch (ExpansionException e) { throw new DockerfileSyntaxException(at, e.Message); }
    }

    /// <summary>Expands and splits into words (EXPOSE).</summary>
    public IReadOnlyList<string> ExpandWords(string word, SourcePosition at, ISet<string>? used = null)
    {
        try { return _lex.ProcessWords(word, Environment, used); }
        catch (ExpansionException e) { throw new DockerfileSyntaxException(at, e.Message); }
    }

    /// <summary>Expands an unquoted heredoc body (<c>COPY &lt;&lt;EOF</c>): quotes are literal, as docker does.</summary>
    public string ExpandHeredoc(Heredoc doc, ISet<string>? used = null)
    {
        if (!doc.Expand) return doc.Content;
        try { return Expander.ForHeredoc().ProcessWord(doc.Content, Environment, used); }
        catch (ExpansionException e) { throw new DockerfileSyntaxException(doc.Position, e.Message); }
    }

    /// <summary>Applies an ARG: each name in order (a later default may use an earlier one).</summary>
    public void Apply(ArgInstruction arg)
    {
        foreach (var decl in arg.Args)
        {
            string? value;
            if (_buildArgs.TryGetValue(decl.Name, out var b)) value = b;
            else if (decl.Default is not null) value = Expand(decl.Default, arg.Position);
            else value = _globals.TryGetValue(decl.Name, out var g) ? g : null;
            if (value is not null) Set(_all, decl.Name, value);
            int i = _args.FindIndex(a => a.Key == decl.Name);
            if (i >= 0) _args.RemoveAt(i);
            _args.Add(new(decl.Name, value));
        }
    }

    /// <summary>Applies an ENV: all pairs expand against the variables as they were before this instruction
    /// (<c>ENV a=1 b=$a</c> sees the old <c>a</c>), then are set in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Apply(EnvInstruction env)
    {
        var expanded = env.Pairs.Select(p => new KeyValuePair<string, string>(
            Expand(p.Key, env.Position), Expand(p.Value, env.Position))).ToList();
        foreach (var kv in expanded)
        {
            if (kv.Key.Length == 0) throw new DockerfileSyntaxException(env.Position, "ENV names can not be blank");
            Set(_all, kv.Key, kv.Value);
            Set(_configEnv, kv.Key, kv.Value);
        }
        return expanded;
    }

    private static void Set(List<KeyValuePair<string, string>> list, string key, string value)
    {
        int i = list.FindIndex(k => k.Key == key);
        if (i >= 0) list[i] = new(key, value);
        else list.Add(new(key, value));
    }
}
