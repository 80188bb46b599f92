using System.Diagnostics;
using System.Globalization;
using Skiff.Build.Cache;
using Skiff.Build.Syntax;

namespace Skiff.Build.Execution;

/// <summary>Builds one stage: resolves its base (image, scratch or an earlier stage), runs the base's ONBUILD triggers,
/// then each instruction in order. Config instructions (ENV, CMD, LABEL, …) only change <see cref="StageState"/>;
/// RUN, COPY, ADD and WORKDIR are layer steps looked up in the cache by key first.</summary>
public sealed partial class StageExecutor(BuildSession s, Stage stage, StagePlan plan)
{
    StageState _st = null!;
    /// <summary>ARGs declared in this stage: name → value (null: declared without a value).</summary>
    readonly Dictionary<string, string?> _args = new(StringComparer.Ordinal);
    readonly Expander _ex = plan.Expander;
    int _stepNo;
    string StageName => stage.Name ?? $"stage-{stage.Index}";
    int Total => stage.Instructions.Count + 1;

    public async Task<StageState> RunAsync(CancellationToken ct)
    {
        _stepNo = plan.FirstStep[stage.Index];
        var baseName = _ex.ProcessWord(stage.BaseName, plan.GlobalArgs);
        var sw = Stopwatch.StartNew();
        s.Progress.Started(_stepNo, Label(1), $"FROM {baseName}");
        var source = plan.Base(stage.Index);
        if (source is StageRef dep)
            _st = (await s.StageResult(dep.Index)).Clone();
        else if (source is ScratchRef)
            _st = StageState.Scratch(s.Platform);
        else
        {
            try { _st = StageState.FromImage(await s.Image(((ImageRef)source).Reference, ct)); }
            catch (BuildException e) { s.Progress.Failed(_stepNo, sw.Elapsed, e.Message); throw new BuildException($"{Where(stage.From)}: FROM {baseName}: {e.Message}", e); }
        }
        s.Progress.Finished(_stepNo, sw.Elapsed);
        var triggers = _st.OnBuild.ToList();
        _st.OnBuild.Clear();
        foreach (var t in triggers)
        {
            Dockerfile parsed;
            try { parsed = DockerfileParser.Parse("FROM scratch\n" + t, "ONBUILD"); }
            catch (Exception e) { throw new BuildException($"{Where(stage.From)}: ONBUILD trigger \"{t}\" of the base image: {e.Message}", e); }
            foreach (var ins in parsed.Stages[0].Instructions) await Step(ins, "ONBUILD ", ct, counted: false);
        }
        for (int i = 0; i < stage.Instructions.Count; i++)
        {
            _stepNo = plan.FirstStep[stage.Index] + 1 + i;
            await Step(stage.Instructions[i], "", ct, counted: true, position: i + 2);
        }
        return _st;
    }

    string Label(int k) => $"[{StageName} {k}/{Total}]";
    static string Where(Instruction ins) => ins.Position.ToString();

    async Task Step(Instruction ins, string prefix, CancellationToken ct, bool counted, int position = 0)
    {
        ct.ThrowIfCancellationRequested();
        var sw = Stopwatch.StartNew();
        int id = counted ? _stepNo : 0;
        var text = prefix + ins.Original;
        if (counted) s.Progress.Started(id, Label(position), text);
        try
        {
            bool cached = await Execute(ins, id, ct);
            if (!counted) return;
            if (cached) s.Progress.Cached(id); else s.Progress.Finished(id, sw.Elapsed);
        }
        catch (OperationCanceledException) { throw; }
        catch (Exception e) when (e is BuildException or ExpansionException or DockerfileSyntaxException or IOException or Linux.LinuxException or UnauthorizedAccessException)
        {
            var msg = e is BuildException ? e.Message : $"{ins.Keyword}: {e.Message}";
            if (counted) s.Progress.Failed(id, sw.Elapsed, msg);
            throw new BuildException($"{Where(ins)}: {Label(position)} {Short(ins.Original)}: {msg}", e);
        }
    }

    static string Short(string s) => s.Length > 80 ? s[..77] + "..." : s;

    /// <summary>Variables for expansion: declared ARGs with values, overridden by ENV (docker's precedence).</summary>
    Dictionary<string, string> Vars(bool withEnv = true)
    {
        var v = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, val) in _args) if (val is not null) v[k] = val;
        if (withEnv)
            foreach (var e in _st.Env)
            {
                int i = e.IndexOf('=');
                if (i > 0) v[e[..i]] = e[(i + 1)..];
            }
        return v;
    }

    string X(string word) => _ex.ProcessWord(word, Vars());

    /// <summary>Runs one instruction; true when it was a cache hit.</summary>
    async Task<bool> Execute(Instruction ins, int id, CancellationToken ct)
    {
        switch (ins)
        {
            case EnvInstruction env:
            {
                var parts = new List<string>();
                foreach (var kv in env.Pairs)
                {
                    var vars = Vars();
                    var k = _ex.ProcessWord(kv.Key, vars);
                    var v = _ex.ProcessWord(kv.Value, vars);
                    _st.SetEnv(k, v);
                    parts.Add($"{k}={v}");
                }
                Meta("ENV " + string.Join(' ', parts));
                return false;
            }
            case ArgInstruction arg:
                foreach (var d in arg.Args)
                {
                    string? value = null;
                    if (s.Options.BuildArgs.TryGetValue(d.Name, out var b)) value = b;
                    else if (d.Default is not null) value = _ex.ProcessWord(d.Default, Vars());
                    else if (plan.GlobalArgs.TryGetValue(d.Name, out var g)) value = g;
                    _args[d.Name] = value;
                    _st.AddEmptyHistory(value is null ? $"ARG {d.Name}" : $"ARG {d.Name}={value}");
                }
                return false;
            case LabelInstruction label:
            {
                var parts = new List<string>();
                foreach (var kv in label.Pairs)
                {
                    var k = X(kv.Key);
                    var v = X(kv.Value);
                    _st.Labels[k] = v;
                    parts.Add($"{k}={v}");
                }
                Meta("LABEL " + string.Join(' ', parts));
                return false;
            }
            case ExposeInstruction expose:
            {
                foreach (var raw in expose.Ports)
                    foreach (var p in _ex.ProcessWords(raw, Vars()))
                        _st.ExposedPorts.Add(NormalizePort(p));
                Meta("EXPOSE map[" + string.Join(' ', _st.ExposedPorts.Select(p => p + ":{}")) + "]");
                return false;
            }
            case UserInstruction user:
                _st.User = X(user.User);
                Meta("USER " + _st.User);
                return false;
            case VolumeInstruction vol:
            {
                var added = new List<string>();
                foreach (var raw in vol.Paths)
                {
                    var p = X(raw);
                    if (p.Length == 0) throw new BuildException("VOLUME specified can not be an empty string");
                    _st.Volumes.Add(p);
                    added.Add(p);
                }
                Meta("VOLUME [" + string.Join(' ', added) + "]");
                return false;
            }
            case StopSignalInstruction sig:
                _st.StopSignal = X(sig.Signal);
                Meta("STOPSIGNAL " + _st.StopSignal);
                return false;
            case CmdInstruction cmd:
                _st.Cmd = [.. cmd.Command.ToConfig(_st.EffectiveShell)];
                _cmdSet = true;
                Meta("CMD " + ConfigJson.StringArray(_st.Cmd));
                return false;
            case EntrypointInstruction ep:
                _st.Entrypoint = [.. ep.Command.ToConfig(_st.EffectiveShell)];
                if (!_cmdSet) _st.Cmd = null; // docker: ENTRYPOINT resets a CMD inherited from the base
                Meta("ENTRYPOINT " + ConfigJson.StringArray(_st.Entrypoint));
                return false;
            case ShellInstruction sh:
                _st.Shell = [.. sh.Shell];
                Meta("SHELL " + ConfigJson.StringArray(_st.Shell));
                return false;
            case HealthcheckInstruction hc:
                _st.Healthcheck = ConfigJson.Healthcheck(hc.None ? ["NONE"] : HealthTest(hc), hc.Interval, hc.Timeout, hc.StartPeriod, hc.StartInterval, hc.Retries);
                Meta("HEALTHCHECK " + ConfigJson.StringArray(hc.None ? ["NONE"] : HealthTest(hc)));
                return false;
            case OnbuildInstruction ob:
                _st.OnBuild.Add(ob.Expression);
                Meta("ONBUILD " + ob.Expression);
                return false;
            case MaintainerInstruction m:
                _st.Author = m.Name;
                Meta("MAINTAINER " + m.Name);
                return false;
            case WorkdirInstruction wd:
                return Workdir(wd, ct);
            case RunInstruction run:
                return await Run(run, id, ct);
            case CopyInstruction copy:
                return await Copy(copy, copy.From, isAdd: false, id, ct);
            case AddInstruction add:
                return await Copy(add, null, isAdd: true, id, ct);
            default:
                throw new BuildException($"{ins.Keyword} is not supported");
        }
    }

    bool _cmdSet;

    IReadOnlyList<string> HealthTest(HealthcheckInstruction hc) => hc.Command switch
    {
        ExecForm e => ["CMD", .. e.Arguments],
        ShellForm sf => ["CMD-SHELL", sf.Command],
        _ => ["NONE"],
    };

    static string NormalizePort(string p)
    {
        var slash = p.IndexOf('/');
        var (num, proto) = slash < 0 ? (p, "tcp") : (p[..slash], p[(slash + 1)..].ToLowerInvariant());
        if (num.Length == 0 || !num.Split('-').All(x => ushort.TryParse(x, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            throw new BuildException($"invalid port \"{p}\"");
        return num + "/" + proto;
    }

    /// <summary>A config-only instruction: the state key moves on (later steps depend on it), the history gets an
    /// empty-layer entry.</summary>
    void Meta(string createdBy)
    {
        _st.Key = CacheKey.Of("meta", _st.Key, createdBy);
        _st.AddEmptyHistory(createdBy);
    }

    string CurrentDir => _st.WorkingDir ?? "/";

    string Absolute(string path) => path.StartsWith('/') ? path : (CurrentDir.TrimEnd('/') + "/" + path);

    /// <summary>WORKDIR: the path (relative to the previous one) becomes the working directory and is created when
    /// missing, as a layer step owned by the current USER.</summary>
    bool Workdir(WorkdirInstruction wd, CancellationToken ct)
    {
        var p = X(wd.Path);
        if (p.Length == 0) throw new BuildException("WORKDIR cannot be empty");
        _st.WorkingDir = RootWriter.Normalize(Absolute(p));
        var createdBy = "WORKDIR " + _st.WorkingDir;
        var key = CacheKey.Of("workdir", _st.Key, _st.WorkingDir, _st.User);
        var dir = _st.WorkingDir;
        var user = _st.User;
        return LayerStep(key, createdBy, root =>
        {
            using var w = new RootWriter(root);
            if (w.IsDir(dir)) return;
            var (uid, gid) = user is null ? (0u, 0u) : Owner(root, user, "WORKDIR");
            w.Mkdir(dir, 0x1ed, uid, gid);
        }, ct, emptyIsMeta: true);
    }

    static (uint, uint) Owner(string root, string spec, string what)
    {
        var idn = UserDb.Resolve(root, spec, what);
        return (idn.Uid, idn.Gid);
    }

    /// <summary>A step that changes files: a cache hit adds the recorded layer; a miss runs <paramref name="work"/> on
    /// the mounted parent snapshot, commits the diff as a layer and records it. Returns whether it was a hit.</summary>
    bool LayerStep(string key, string createdBy, Action<string> work, CancellationToken ct, bool emptyIsMeta = false)
    {
        if (!s.Options.NoCache && s.Cache.Get(key) is { } hit)
        {
            Apply(hit, key, createdBy, emptyIsMeta);
            Interlocked.Increment(ref s.StepsCached);
            return true;
        }
        using (s.Cache.LockKey(key))
        {
            if (!s.Options.NoCache && s.Cache.Get(key) is { } late)
            {
                Apply(late, key, createdBy, emptyIsMeta);
                Interlocked.Increment(ref s.StepsCached);
                return true;
            }
            s.Layers.Ensure(_st.Layers);
            var r = s.Layers.Run(_st.TopSnapshot, work, ct);
            var now = DateTimeOffset.UtcNow;
            var rec = r.Empty
                ? new CacheRecord { Key = key, Created = now, CreatedBy = createdBy, Empty = true }
                : new CacheRecord { Key = key, Created = now, CreatedBy = createdBy, Layer = r.Blob, DiffId = r.DiffId.ToString(), Snapshot = r.Snapshot };
            s.Cache.Put(rec);
            Apply(rec, key, createdBy, emptyIsMeta);
            Interlocked.Increment(ref s.StepsRun);
            return false;
        }
    }

    void Apply(CacheRecord rec, string key, string createdBy, bool emptyIsMeta)
    {
        _st.Key = key;
        if (rec.Empty)
        {
            if (emptyIsMeta) _st.AddEmptyHistory(createdBy);
            else _st.History.Add(new Images.Formats.History { Created = rec.Created, CreatedBy = createdBy, Comment = "buildkit.dockerfile.v0", EmptyLayer = true });
            return;
        }
        _st.AddLayer(rec.Layer!, rec.DiffId!, createdBy, rec.Created);
    }
}
