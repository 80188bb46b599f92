namespace Skiff.Cli;

/// <summary>Finds the ignore file for a build: &lt;Dockerfile&gt;.dockerignore next to a -f Dockerfile (BuildKit's
/// per-Dockerfile ignore file) or .dockerignore at the context root, and turns it into a matcher.</summary>
public static class ContextIgnore
{
    public static Func<string, bool, bool>? Load(string contextDir, string? dockerfile)
    {
        string? path = null;
        if (dockerfile is not null && File.Exists(dockerfile + ".dockerignore")) path = dockerfile + ".dockerignore";
        else if (File.Exists(Path.Combine(contextDir, ".dockerignore"))) path = Path.Combine(contextDir, ".dockerignore");
        if (path is null) return null;
        return Matcher(File.ReadAllText(path));
    }

    static Func<string, bool, bool>? Matcher(string text)
    {
        var m = Skiff.Build.Ignore.IgnoreMatcher.Parse(text);
        return m.IsEmpty ? null : (path, isDir) => m.Matches(path, isDir);
    }
}
