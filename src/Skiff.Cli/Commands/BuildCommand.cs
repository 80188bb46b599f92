using System.Runtime.InteropServices;
using Skiff.Build;
using Skiff.Build.Execution;
using Skiff.Build.Output;
using Skiff.Images.Formats;

namespace Skiff.Cli.Commands;

/// <summary>skiff build [OPTIONS] PATH|-: docker build's flags (-f, -t…, --build-arg, --label, --target, --no-cache,
/// --pull, --progress, -q, --iidfile, -o/--output, --secret, --platform). Ctrl-C or SIGTERM stops the running step,
/// removes its container, mounts and snapshot, and exits 130.</summary>
public static class BuildCommand
{
    static readonly string[] Booleans = ["--no-cache", "--pull", "-q", "--quiet", "--rm", "--force-rm", "--insecure", "--zstd"];
    static readonly string[] Valued = ["-f", "--file", "-t", "--tag", "--build-arg", "--label", "--target", "--progress", "--iidfile",
        "-o", "--output", "--secret", "--platform", "--network", "--format"];

    public static async Task<int> Run(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, Booleans, Valued);
        if (c.Positionals.Count != 1) throw new UsageException("build needs exactly one context (a directory, or - for a Dockerfile on stdin)");
        var path = c.Positionals[0];
        var file = c.Value("-f", "--file");
        string? contextDir = null;
        string text, name;
        if (path == "-")
        {
            if (file is not null) throw new UsageException("-f cannot be used with a Dockerfile on stdin");
            text = Console.In.ReadToEnd();
            name = "Dockerfile";
        }
        else
        {
            if (!Directory.Exists(path)) throw new UsageException($"unable to prepare context: path \"{path}\" not found");
            contextDir = Path.GetFullPath(path);
            if (file == "-") { text = Console.In.ReadToEnd(); name = "Dockerfile"; }
            else
            {
                var df = file is null ? Path.Combine(contextDir, "Dockerfile") : Path.GetFullPath(file);
                if (!File.Exists(df)) throw new UsageException($"unable to prepare context: the Dockerfile ({df}) cannot be found");
                text = File.ReadAllText(df);
                name = file is null ? "Dockerfile" : file;
            }
        }
        var tags = c.Values("-t").Concat(c.Values("--tag")).ToList();
        foreach (var t in tags)
            if (!Images.References.Reference.TryParse(t, out _, out var err)) throw new UsageException($"invalid tag \"{t}\": {err}");
        var outputs = c.Values("-o").Concat(c.Values("--output")).Select(ImageOutput.Parse).ToList();
        var options = new BuildOptions
        {
            ContextDir = contextDir,
            DockerfileText = text,
            DockerfileName = name,
            Excluded = contextDir is null ? null : ContextIgnore.Load(contextDir, file is null or "-" ? null : Path.GetFullPath(file)),
            Tags = tags,
            BuildArgs = Pairs(c.Values("--build-arg"), "--build-arg", fromEnv: true),
            Labels = Pairs(c.Values("--label"), "--label", fromEnv: false),
            Secrets = Secrets(c.Values("--secret")),
            Target = c.Value("--target"),
            NoCache = c.Has("--no-cache"),
            Pull = c.Has("--pull"),
            Insecure = c.Has("--insecure") || Environment.GetEnvironmentVariable("SKIFF_INSECURE") == "1",
            Platform = c.Value("--platform") is { } p ? Platform.Parse(p) : null,
            Compression = c.Has("--zstd") ? Compression.Zstd : Compression.Gzip,
            DockerFormat = c.Value("--format") == "docker",
        };
        bool quiet = c.Has("-q", "--quiet");
        var mode = c.Value("--progress") ?? "auto";
        if (mode is not ("auto" or "plain" or "tty" or "quiet" or "rawjson"))
            throw new UsageException($"--progress {mode}: expected auto, plain, tty or quiet");
        bool tty = mode == "tty" || (mode == "auto" && !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("TERM") is not (null or "dumb"));
        IBuildProgress progress = quiet || mode == "quiet" ? IBuildProgress.None : tty ? new TtyProgress(ctx.Err) : new PlainProgress(ctx.Err);

        using var cts = new CancellationTokenSource();
        // cancel off the signal thread: the cancellation callbacks start `oar kill`, and .NET reaps children on that thread
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, s => { s.Cancel = true; Task.Run(cts.Cancel); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, s => { s.Cancel = true; Task.Run(cts.Cancel); });
        BuildResult result;
        try
        {
            result = await new Builder(ctx.Images, options, progress).BuildAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            (progress as IDisposable)?.Dispose();
            ctx.Err.WriteLine("ERROR: build canceled");
            return 130;
        }
        catch (Exception e) when (e is BuildException or Skiff.Build.Syntax.DockerfileSyntaxException)
        {
            (progress as IDisposable)?.Dispose();
            ctx.Err.WriteLine($"ERROR: {e.Message}");
            return 1;
        }
        (progress as IDisposable)?.Dispose();
        foreach (var o in outputs) o.Write(ctx.Images, result.Image, tags.FirstOrDefault());
        var id = result.Image.Id.ToString();
        if (c.Value("--iidfile") is { } iid) File.WriteAllText(iid, id);
        if (quiet) ctx.Out.WriteLine(id);
        else
        {
            ctx.Err.WriteLine($"writing image {id} done ({result.Steps} steps run, {result.Cached} cached)");
            foreach (var t in tags) ctx.Err.WriteLine($"naming to {Images.References.Reference.Parse(t)} done");
        }
        return 0;
    }

    static Dictionary<string, string> Pairs(IEnumerable<string> values, string flag, bool fromEnv)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var v in values)
        {
            int eq = v.IndexOf('=');
            if (eq == 0) throw new UsageException($"{flag} {v}: missing name");
            if (eq > 0) d[v[..eq]] = v[(eq + 1)..];
            else if (fromEnv) { if (Environment.GetEnvironmentVariable(v) is { } env) d[v] = env; }
            else d[v] = "";
        }
        return d;
    }

    static Dictionary<string, string> Secrets(IEnumerable<string> values)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var v in values)
        {
            string? id = null, src = null, env = null;
            foreach (var part in v.Split(','))
            {
                var eq = part.IndexOf('=');
                if (eq < 0) throw new UsageException($"--secret {v}: expected id=NAME,src=FILE");
                var (k, val) = (part[..eq], part[(eq + 1)..]);
                switch (k)
                {
                    case "id": id = val; break;
                    case "src" or "source": src = val; break;
                    case "env": env = val; break;
                    case "type": break;
                    default: throw new UsageException($"--secret {v}: unknown key \"{k}\"");
                }
            }
            if (id is null) throw new UsageException($"--secret {v}: id= is required");
            if (src is null && env is null && Environment.GetEnvironmentVariable(id) is not null) env = id;
            if (src is null && env is not null)
            {
                // a secret from an environment variable: kept in a private temp file for the build
                var tmp = Path.Combine(Path.GetTempPath(), $"skiff-secret-{Environment.ProcessId}-{id}");
                File.WriteAllText(tmp, Environment.GetEnvironmentVariable(env) ?? "");
                File.SetUnixFileMode(tmp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                src = tmp;
            }
            src ??= id;
            if (!File.Exists(src)) throw new UsageException($"--secret {v}: file \"{src}\" not found");
            d[id] = Path.GetFullPath(src);
        }
        return d;
    }
}
