using Skiff.Linux;

namespace Skiff.Runtime.Init.Process;

/// <summary>Finds process.args[0] the way execvp would, inside the (already pivoted) container root, so that a
/// missing binary fails `create` instead of the container.</summary>
public static class ExecutableLookup
{
    public static string Find(string name, IReadOnlyList<string> env)
    {
        if (name.Contains('/')) return Check(name) ?? throw NotFound(name, "no such file or directory");
        var path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        foreach (var e in env) if (e.StartsWith("PATH=", StringComparison.Ordinal)) path = e[5..];
        foreach (var dir in path.Split(':'))
        {
            var candidate = (dir.Length == 0 ? "." : dir) + "/" + name;
            if (Check(candidate) is { } found) return found;
        }
        throw NotFound(name, "executable file not found in $PATH");
    }

    static string? Check(string path)
    {
        if (!Files.TryStatAt(Files.AT_FDCWD, path, 0, out var st, out _)) return null;
        if ((st.Mode & Files.S_IFMT) == Files.S_IFDIR) return null;
        return path;
    }

    static RuntimeException NotFound(string name, string why) => new("exec", $"\"{name}\": {why}");
}
