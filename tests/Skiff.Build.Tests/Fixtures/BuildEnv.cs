using Skiff.Build.Execution;
using Skiff.Build.Output;
using Skiff.Images;

namespace Skiff.Build.Tests.Fixtures;

/// <summary>A private skiff root for one test class (under /var/lib/skiff-test-build, on a disk overlayfs accepts) with
/// the busybox base imported, helpers to make contexts, build, and inspect results; removes everything on dispose
/// (mounts below it first).</summary>
public sealed class BuildEnv : IDisposable
{
    public const string Base = "/var/lib/skiff-test-build";

    public BuildEnv()
    {
        Repo.EnsureOar();
        Root = Path.Combine(Base, Guid.NewGuid().ToString("n")[..12]);
        Directory.CreateDirectory(Root);
        Images = ImageService.Open(Root);
        Busybox.Import(Images);
    }

    public string Root { get; }
    public ImageService Images { get; }
    public List<string> Log { get; } = [];

    /// <summary>A new context directory with the given files (path → content; a value starting with "->" makes a symlink).</summary>
    public string Context(params (string Path, string Content)[] files)
    {
        var dir = Path.Combine(Root, "ctx-" + Guid.NewGuid().ToString("n")[..8]);
        Directory.CreateDirectory(dir);
        foreach (var (p, c) in files) Write(dir, p, c);
        return dir;
    }

    public static void Write(string dir, string rel, string content)
    {
        var full = Path.Combine(dir, rel);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        if (content.StartsWith("->", StringComparison.Ordinal)) File.CreateSymbolicLink(full, content[2..]);
        else File.WriteAllText(full, content);
    }

    public sealed class Recorder : IBuildProgress
    {
        readonly List<string> _lines;
        public Recorder(List<string> lines) => _lines = lines;
        public List<int> CachedSteps { get; } = [];
        public List<int> RunSteps { get; } = [];
        public Dictionary<int, string> Text { get; } = [];
        public void Started(int id, string label, string text) { lock (_lines) { _lines.Add($"#{id} {label} {text}"); Text[id] = text; } }
        public void Output(int id, string line) { lock (_lines) _lines.Add($"#{id} {line}"); }
        public void Cached(int id) { lock (_lines) { _lines.Add($"#{id} CACHED"); CachedSteps.Add(id); } }
        public void Finished(int id, TimeSpan elapsed) { lock (_lines) { _lines.Add($"#{id} DONE"); RunSteps.Add(id); } }
        public void Failed(int id, TimeSpan elapsed, string error) { lock (_lines) _lines.Add($"#{id} ERROR {error}"); }
        public void Message(string text) { lock (_lines) _lines.Add(text); }
        /// <summary>Instructions that were cache hits / that ran (by text).</summary>
        public IEnumerable<string> CachedTexts => CachedSteps.Select(i => Text[i]);
        public IEnumerable<string> RanTexts => RunSteps.Select(i => Text[i]);
    }

    public async Task<(BuildResult Result, Recorder Progress)> Build(string dockerfile, string? context = null, BuildOptions? options = null,
        CancellationToken ct = default)
    {
        var rec = new Recorder(Log);
        var o = (options ?? new BuildOptions { DockerfileText = dockerfile }) with { DockerfileText = dockerfile, ContextDir = context };
        if (context is not null && o.Excluded is null && File.Exists(Path.Combine(context, ".dockerignore")))
            o = o with { Excluded = Skiff.Cli.ContextIgnore.Load(context, null) };
        var r = await new Builder(Images, o, rec).BuildAsync(ct);
        return (r, rec);
    }

    /// <summary>Runs the image (or <paramref name="cmd"/> in it) with oar; returns exit code and output.</summary>
    public (int Exit, string Output) Run(LocalImage img, params string[] cmd) => ImageRun.Run(Images, img, cmd);

    public void Dispose()
    {
        foreach (var line in File.ReadAllLines("/proc/self/mountinfo").Reverse())
        {
            var mp = line.Split(' ')[4];
            if (mp.StartsWith(Root + "/", StringComparison.Ordinal)) Linux.Mounts.TryUnmount(mp, Linux.Mounts.MNT_DETACH);
        }
        try { Directory.Delete(Root, true); } catch (IOException) { }
    }
}
