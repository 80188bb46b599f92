namespace Skiff.Build.Tests.Cli;

/// <summary>How to start the skiff CLI as its own process: $SKIFF_BINARY, out/skiff/skiff of this checkout, or the
/// skiff.dll built next to the tests through dotnet.</summary>
public static class SkiffProcess
{
    public static string[] Command()
    {
        if (Environment.GetEnvironmentVariable("SKIFF_BINARY") is { Length: > 0 } env) return [env];
        var published = Path.Combine(Fixtures.Repo.Root, "out", "skiff", "skiff");
        if (File.Exists(published) && File.GetLastWriteTimeUtc(published) > File.GetLastWriteTimeUtc(Path.Combine(AppContext.BaseDirectory, "skiff.dll")))
            return [published];
        return ["dotnet", Path.Combine(AppContext.BaseDirectory, "skiff.dll")];
    }
}
