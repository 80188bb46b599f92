namespace Skiff.Engine.Runtimes;

/// <summary>--runtime NAME → the binary. "oar" (the default): env OAR_BINARY, next to skiff, ../oar/oar from skiff's
/// directory (the repository's out/ layout), PATH. Other names (runc, crun, runsc): an absolute path or PATH.</summary>
public static class RuntimeLocator
{
    public const string Default = "oar";

    public static string Find(string name)
    {
        if (string.IsNullOrEmpty(name)) name = Default;
        if (name.StartsWith('/'))
            return File.Exists(name) ? name : throw EngineException.Invalid($"unknown or invalid runtime name: {name}");
        if (name.Contains('/')) throw EngineException.Invalid($"unknown or invalid runtime name: {name}");
        if (name == Default)
        {
            if (Environment.GetEnvironmentVariable("OAR_BINARY") is { Length: > 0 } env && File.Exists(env)) return Path.GetFullPath(env);
            foreach (var p in new[] { Path.Combine(AppContext.BaseDirectory, "oar"), Path.Combine(AppContext.BaseDirectory, "..", "oar", "oar") })
                if (File.Exists(p)) return Path.GetFullPath(p);
        }
        foreach (var d in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var p = Path.Combine(d, name);
            if (File.Exists(p)) return p;
        }
        throw EngineException.Invalid($"unknown or invalid runtime name: {name}");
    }

    /// <summary>The init binary for --init: env SKIFF_INIT, else a static tini (Debian's tini package), else docker-init.</summary>
    public static string? FindInit()
    {
        if (Environment.GetEnvironmentVariable("SKIFF_INIT") is { Length: > 0 } env && File.Exists(env)) return env;
        foreach (var p in new[] { "/usr/bin/tini-static", "/usr/bin/docker-init", "/usr/libexec/docker/docker-init" })
            if (File.Exists(p)) return p;
        return null;
    }
}
