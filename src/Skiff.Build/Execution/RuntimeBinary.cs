namespace Skiff.Build.Execution;

/// <summary>Finds the OCI runtime RUN steps go through: $OAR_BINARY, else an oar next to the running skiff, else
/// ../oar/oar beside it (the out/ layout of scripts/build.sh), else oar on $PATH.</summary>
public static class RuntimeBinary
{
    public static string Locate()
    {
        if (Environment.GetEnvironmentVariable("OAR_BINARY") is { Length: > 0 } env) return env;
        var here = AppContext.BaseDirectory;
        foreach (var p in new[] { Path.Combine(here, "oar"), Path.Combine(here, "..", "oar", "oar") })
            if (File.Exists(p)) return Path.GetFullPath(p);
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
            if (File.Exists(Path.Combine(dir, "oar"))) return Path.Combine(dir, "oar");
        throw new BuildException("cannot find the oar runtime: set OAR_BINARY or put oar next to skiff");
    }
}
