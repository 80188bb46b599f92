namespace Skiff.Build.Tests.Fixtures;

public static class Repo
{
    public static string Root
    {
        get
        {
            var dir = AppContext.BaseDirectory;
            while (dir is not null && !File.Exists(Path.Combine(dir, "Skiff.slnx"))) dir = Path.GetDirectoryName(dir);
            return dir ?? throw new InvalidOperationException("cannot find the repository root");
        }
    }

    /// <summary>RUN steps need oar: $OAR_BINARY (scripts/test.sh sets it) or out/oar/oar of this checkout.</summary>
    public static void EnsureOar()
    {
        if (Environment.GetEnvironmentVariable("OAR_BINARY") is { Length: > 0 }) return;
        var p = Path.Combine(Root, "out", "oar", "oar");
        if (!File.Exists(p)) throw new InvalidOperationException($"no oar binary: run scripts/build.sh or set OAR_BINARY ({p} missing)");
        Environment.SetEnvironmentVariable("OAR_BINARY", p);
    }
}
