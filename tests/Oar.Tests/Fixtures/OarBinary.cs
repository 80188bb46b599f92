using System.Diagnostics;

namespace Oar.Tests.Fixtures;

/// <summary>Finds the NativeAOT oar binary the tests drive (what users run), publishing it once if needed.
/// OAR_BINARY overrides; scripts/test.sh publishes to out/oar/oar before the tests.</summary>
public static class OarBinary
{
    static readonly Lazy<string> path = new(Locate);
    public static string Path => path.Value;

    public static string RepoRoot
    {
        get
        {
            var dir = AppContext.BaseDirectory;
            while (dir is not null && !File.Exists(System.IO.Path.Combine(dir, "Skiff.slnx"))) dir = System.IO.Path.GetDirectoryName(dir);
            return dir ?? throw new InvalidOperationException("cannot find the repository root (Skiff.slnx) above " + AppContext.BaseDirectory);
        }
    }

    static string Locate()
    {
        if (Environment.GetEnvironmentVariable("OAR_BINARY") is { Length: > 0 } env) return env;
        var published = System.IO.Path.Combine(RepoRoot, "out", "oar", "oar");
        if (File.Exists(published)) return published;
        var psi = new ProcessStartInfo("dotnet", ["publish", System.IO.Path.Combine(RepoRoot, "src", "Oar"), "-c", "Release", "-o", System.IO.Path.GetDirectoryName(published)!])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0 || !File.Exists(published)) throw new InvalidOperationException("publishing oar failed:\n" + output);
        return published;
    }
}
