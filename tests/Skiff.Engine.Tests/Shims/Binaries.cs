using System.Diagnostics;

namespace Skiff.Engine.Tests.Shims;

/// <summary>The published binaries the shim tests drive: skiff-shim (env SKIFF_SHIM, else out/skiff/skiff-shim,
/// published once if missing), oar (env OAR_BINARY, else out/oar/oar), and the peers runc and crun.</summary>
public static class Binaries
{
    static readonly Lazy<string> shim = new(() => Locate("SKIFF_SHIM", Path.Combine("out", "skiff", "skiff-shim"), Path.Combine("src", "Skiff.Shim")));
    static readonly Lazy<string> oar = new(() => Locate("OAR_BINARY", Path.Combine("out", "oar", "oar"), Path.Combine("src", "Oar")));

    public static string Shim => shim.Value;
    public static string Oar => oar.Value;

    /// <summary>An OCI runtime by name: "oar" is the repo's; others come from PATH (/usr/sbin/runc, /usr/bin/crun).</summary>
    public static string Runtime(string name) => name switch
    {
        "oar" => Oar,
        _ => new[] { "/usr/sbin", "/usr/bin", "/sbin", "/bin" }.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists)
             ?? throw new InvalidOperationException($"{name} is not installed (apt-get install {name})"),
    };

    public static string RepoRoot
    {
        get
        {
            var dir = AppContext.BaseDirectory;
            while (dir is not null && !File.Exists(Path.Combine(dir, "Skiff.slnx"))) dir = Path.GetDirectoryName(dir);
            return dir ?? throw new InvalidOperationException("cannot find the repository root (Skiff.slnx) above " + AppContext.BaseDirectory);
        }
    }

    static string Locate(string env, string published, string project)
    {
        if (Environment.GetEnvironmentVariable(env) is { Length: > 0 } e) return e;
        var path = Path.Combine(RepoRoot, published);
        if (File.Exists(path)) return path;
        var psi = new ProcessStartInfo("dotnet", ["publish", Path.Combine(RepoRoot, project), "-c", "Release", "-o", Path.GetDirectoryName(path)!])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0 || !File.Exists(path)) throw new InvalidOperationException($"publishing {project} failed:\n" + output);
        return path;
    }
}
