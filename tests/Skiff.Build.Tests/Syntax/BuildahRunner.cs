using System.Diagnostics;
using System.Text.Json;

namespace Skiff.Build.Tests.Syntax;

/// <summary>Debian's buildah with a private root (vfs driver: no mounts to leak) to learn what docker-compatible
/// builders do with a Dockerfile. Everything lives under one temp directory, removed on dispose.</summary>
public sealed class BuildahRunner : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("build-parser-buildah-").FullName;

    public static bool Available => File.Exists("/usr/bin/buildah") && Environment.UserName == "root";

    private (int Code, string Out, string Err) Run(params string[] args)
    {
        var psi = new ProcessStartInfo("buildah") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--root", Path.Combine(_dir, "root"), "--runroot", Path.Combine(_dir, "run"), "--storage-driver", "vfs" })
            psi.ArgumentList.Add(a);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string o = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, o, err.Result);
    }

    /// <summary>Builds <paramref name="dockerfile"/> in a context holding <paramref name="files"/>; returns the image
    /// name, or throws with buildah's error.</summary>
    public string Build(string dockerfile, IReadOnlyDictionary<string, string>? files = null, IReadOnlyDictionary<string, string>? buildArgs = null)
    {
        string ctx = Path.Combine(_dir, "ctx-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(ctx);
        File.WriteAllText(Path.Combine(ctx, "Dockerfile"), dockerfile);
        foreach (var (path, content) in files ?? new Dictionary<string, string>())
        {
            string full = Path.Combine(ctx, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
        }
        string tag = "localhost/build-parser-" + Path.GetFileName(ctx);
        var args = new List<string> { "bud", "-q", "--layers=false", "-t", tag };
        foreach (var (k, v) in buildArgs ?? new Dictionary<string, string>()) { args.Add("--build-arg"); args.Add($"{k}={v}"); }
        args.Add(ctx);
        var (code, _, err) = Run([.. args]);
        if (code != 0) throw new InvalidOperationException("buildah bud failed: " + err);
        return tag;
    }

    /// <summary>The image's OCI config ("config" object of buildah inspect's OCIv1).</summary>
    public JsonElement Config(string image)
    {
        var (code, o, err) = Run("inspect", "--type", "image", image);
        if (code != 0) throw new InvalidOperationException("buildah inspect failed: " + err);
        return JsonDocument.Parse(o).RootElement.GetProperty("OCIv1").GetProperty("config").Clone();
    }

    /// <summary>Relative paths in the image's root filesystem, directories with a trailing slash, sorted.</summary>
    public List<string> Files(string image)
    {
        var (code, container, err) = Run("from", "--pull-never", image);
        if (code != 0) throw new InvalidOperationException("buildah from failed: " + err);
        container = container.Trim();
        try
        {
            var (mc, mount, merr) = Run("mount", container);
            if (mc != 0) throw new InvalidOperationException("buildah mount failed: " + merr);
            string root = mount.Trim();
            return Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
                .Select(p => Path.GetRelativePath(root, p) + (Directory.Exists(p) && !File.GetAttributes(p).HasFlag(FileAttributes.ReparsePoint) ? "/" : ""))
                .Order(StringComparer.Ordinal).ToList();
        }
        finally { Run("rm", container); }
    }

    public void Dispose()
    {
        Run("rm", "--all");
        Run("rmi", "--all", "--force");
        try { Directory.Delete(_dir, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
