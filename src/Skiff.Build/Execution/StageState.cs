using System.Text.Json;
using Skiff.Images;
using Skiff.Images.Content;
using Skiff.Images.Formats;

namespace Skiff.Build.Execution;

/// <summary>The image a stage is building, as it stands after each instruction: the run config (Env, Cmd, …), the
/// layers with their chain, the history, and <see cref="Key"/> — the cache identity of everything so far (base image,
/// every instruction after substitution, the files and args they used). Each step's cache key derives from it.</summary>
public sealed class StageState
{
    public List<string> Env { get; set; } = [];
    public string[]? Cmd { get; set; }
    public string[]? Entrypoint { get; set; }
    public string? WorkingDir { get; set; }
    public string? User { get; set; }
    public string? StopSignal { get; set; }
    public Dictionary<string, string> Labels { get; set; } = new(StringComparer.Ordinal);
    public SortedSet<string> ExposedPorts { get; set; } = new(StringComparer.Ordinal);
    public SortedSet<string> Volumes { get; set; } = new(StringComparer.Ordinal);
    public JsonElement? Healthcheck { get; set; }
    public string[]? Shell { get; set; }
    public List<string> OnBuild { get; set; } = [];
    public string? Author { get; set; }
    public bool ArgsEscaped { get; set; }
    Dictionary<string, JsonElement>? _extra;

    public List<(Descriptor Blob, string DiffId)> Layers { get; } = [];
    public List<History> History { get; } = [];
    public string? TopSnapshot { get; private set; }
    public required string Key { get; set; }
    public DateTimeOffset Created { get; set; } = DateTimeOffset.UnixEpoch;
    public Platform Platform { get; set; } = Platform.Host;

    public static readonly string[] DefaultShell = ["/bin/sh", "-c"];
    public IReadOnlyList<string> EffectiveShell => Shell ?? DefaultShell;

    public static StageState Scratch(Platform p) => new()
    {
        Key = "scratch " + p,
        Platform = p,
        Env = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
    };

    public static StageState FromImage(LocalImage img)
    {
        var c = img.Config.Config ?? new ContainerConfig();
        var s = new StageState
        {
            Key = "image " + img.ManifestDescriptor.Digest,
            Env = c.Env?.ToList() ?? [],
            Cmd = c.Cmd,
            Entrypoint = c.Entrypoint,
            WorkingDir = string.IsNullOrEmpty(c.WorkingDir) ? null : c.WorkingDir,
            User = string.IsNullOrEmpty(c.User) ? null : c.User,
            StopSignal = c.StopSignal,
            Labels = c.Labels is null ? new(StringComparer.Ordinal) : new(c.Labels, StringComparer.Ordinal),
            ExposedPorts = c.ExposedPorts is null ? new(StringComparer.Ordinal) : new(c.ExposedPorts.Keys, StringComparer.Ordinal),
            Volumes = c.Volumes is null ? new(StringComparer.Ordinal) : new(c.Volumes.Keys, StringComparer.Ordinal),
            Author = img.Config.Author,
            Created = img.Config.Created ?? DateTimeOffset.UnixEpoch,
            Platform = img.Config.Platform,
        };
        if (c.Extra is not null)
        {
            s._extra = new(c.Extra);
            if (s._extra.Remove("Healthcheck", out var hc) && hc.ValueKind == JsonValueKind.Object) s.Healthcheck = hc;
            if (s._extra.Remove("Shell", out var sh)) s.Shell = ConfigJson.ReadStrings(sh);
            if (s._extra.Remove("OnBuild", out var ob)) s.OnBuild = ConfigJson.ReadStrings(ob)?.ToList() ?? [];
            if (s._extra.Remove("ArgsEscaped", out var ae)) s.ArgsEscaped = ae.ValueKind == JsonValueKind.True;
        }
        var diffs = img.Config.RootFs.DiffIds;
        for (int i = 0; i < img.Manifest.Layers.Length; i++) s.AddLayerQuiet(img.Manifest.Layers[i], diffs[i]);
        if (img.Config.History is not null) s.History.AddRange(img.Config.History);
        return s;
    }

    public StageState Clone()
    {
        var c = new StageState
        {
            Key = Key, Env = [.. Env], Cmd = Cmd, Entrypoint = Entrypoint, WorkingDir = WorkingDir, User = User,
            StopSignal = StopSignal, Labels = new(Labels, StringComparer.Ordinal), ExposedPorts = new(ExposedPorts, StringComparer.Ordinal),
            Volumes = new(Volumes, StringComparer.Ordinal), Healthcheck = Healthcheck, Shell = Shell, OnBuild = [.. OnBuild],
            Author = Author, ArgsEscaped = ArgsEscaped, _extra = _extra is null ? null : new(_extra), Created = Created, Platform = Platform,
        };
        foreach (var l in Layers) c.AddLayerQuiet(l.Blob, l.DiffId);
        c.History.AddRange(History);
        return c;
    }

    void AddLayerQuiet(Descriptor blob, string diffId)
    {
        Layers.Add((blob, diffId));
        TopSnapshot = TopSnapshot is null ? diffId : Digest.Sha256(System.Text.Encoding.ASCII.GetBytes($"{TopSnapshot} {diffId}")).ToString();
    }

    public void AddLayer(Descriptor blob, string diffId, string createdBy, DateTimeOffset when)
    {
        AddLayerQuiet(blob, diffId);
        History.Add(new History { Created = when, CreatedBy = createdBy, Comment = "buildkit.dockerfile.v0" });
        if (when > Created) Created = when;
    }

    public void AddEmptyHistory(string createdBy)
        => History.Add(new History { Created = Created, CreatedBy = createdBy, Comment = "buildkit.dockerfile.v0", EmptyLayer = true });

    public string? GetEnv(string name)
    {
        foreach (var e in Env)
            if (e.Length > name.Length && e[name.Length] == '=' && e.StartsWith(name, StringComparison.Ordinal)) return e[(name.Length + 1)..];
        return null;
    }

    public void SetEnv(string name, string value)
    {
        var entry = name + "=" + value;
        int i = Env.FindIndex(e => e.Length > name.Length && e[name.Length] == '=' && e.StartsWith(name, StringComparison.Ordinal));
        if (i >= 0) Env[i] = entry; else Env.Add(entry);
    }

    public ImageConfig ToImageConfig()
    {
        var extra = _extra is null ? new Dictionary<string, JsonElement>() : new Dictionary<string, JsonElement>(_extra);
        if (Healthcheck is { } hc) extra["Healthcheck"] = hc;
        if (Shell is not null) extra["Shell"] = ConfigJson.Strings(Shell);
        if (OnBuild.Count > 0) extra["OnBuild"] = ConfigJson.Strings(OnBuild);
        if (ArgsEscaped) extra["ArgsEscaped"] = ConfigJson.Parse("true");
        var cc = new ContainerConfig
        {
            User = User,
            Env = Env.ToArray(),
            Cmd = Cmd,
            Entrypoint = Entrypoint,
            WorkingDir = WorkingDir,
            Labels = Labels.Count > 0 ? new(Labels) : null,
            ExposedPorts = ExposedPorts.Count > 0 ? ExposedPorts.ToDictionary(p => p, _ => ConfigJson.EmptyObject) : null,
            Volumes = Volumes.Count > 0 ? Volumes.ToDictionary(p => p, _ => ConfigJson.EmptyObject) : null,
            StopSignal = StopSignal,
            Extra = extra.Count > 0 ? extra : null,
        };
        return new ImageConfig
        {
            Created = Created,
            Author = Author,
            Architecture = Platform.Architecture,
            Os = Platform.Os,
            Variant = Platform.Variant,
            Config = cc,
            RootFs = new RootFs { DiffIds = Layers.Select(l => l.DiffId).ToArray() },
            History = History.ToArray(),
        };
    }
}
