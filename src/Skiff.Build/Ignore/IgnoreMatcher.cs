namespace Skiff.Build.Ignore;

/// <summary>.dockerignore semantics (moby/patternmatcher, as docker and BuildKit apply it): patterns in order, the
/// last one that matches a path decides (<c>!</c> patterns re-include); a pattern that matches a directory also
/// matches everything under it. Paths are relative to the context root, with <c>/</c> separators.
/// Note: docker still reads the Dockerfile and .dockerignore even when they are excluded, but COPY/ADD cannot take
/// them — this matcher only answers "is it excluded".</summary>
public sealed class IgnoreMatcher
{
    private readonly IgnorePattern[] _patterns;

    public IgnoreMatcher(IEnumerable<string> patterns)
    {
        var list = new List<IgnorePattern>();
        foreach (var raw in patterns)
        {
            string p = raw.Trim();
            if (p.Length == 0) continue;
            p = PathClean.Clean(p);
            bool exclusion = false;
            if (p[0] == '!')
            {
                if (p.Length == 1) throw new FormatException("illegal exclusion pattern: \"!\"");
                exclusion = true;
                p = p[1..];
            }
            if (IgnorePattern.SyntaxError(p) is { } err) throw new FormatException($"{err}: \"{raw.Trim()}\"");
            list.Add(new IgnorePattern(p, exclusion));
        }
        _patterns = [.. list];
        HasExclusions = _patterns.Any(p => p.Exclusion);
    }

    /// <summary>A matcher that excludes nothing.</summary>
    public static readonly IgnoreMatcher Empty = new([]);

    public IReadOnlyList<IgnorePattern> Patterns => _patterns;
    public bool HasExclusions { get; }
    public bool IsEmpty => _patterns.Length == 0;

    /// <summary>Reads .dockerignore text as docker does: a line starting with <c>#</c> is a comment, lines are trimmed,
    /// blank lines skipped, <c>!</c> kept, each pattern cleaned, a leading <c>/</c> dropped.</summary>
    public static IgnoreMatcher Parse(string text) => new(ReadPatterns(text));

    /// <summary>The .dockerignore in <paramref name="contextDir"/>, or <see cref="Empty"/> when there is none.</summary>
    public static IgnoreMatcher Load(string contextDir)
    {
        string path = Path.Combine(contextDir, ".dockerignore");
        return File.Exists(path) ? Parse(File.ReadAllText(path)) : Empty;
    }

    public static List<string> ReadPatterns(string text)
    {
        var result = new List<string>();
        bool first = true;
        foreach (var rawLine in text.Split('\n'))
        {
            string line = rawLine.TrimEnd('\r');
            if (first && line.StartsWith('\uFEFF')) line = line[1..];
            first = false;
            if (line.StartsWith('#')) continue;
            string p = line.Trim();
            if (p.Length == 0) continue;
            bool invert = p[0] == '!';
            if (invert) p = p[1..].Trim();
            if (p.Length > 0)
            {
                p = PathClean.Clean(p);
                if (p.Length > 1 && p[0] == '/') p = p[1..];
            }
            result.Add(invert ? "!" + p : p);
        }
        return result;
    }

    /// <summary>Whether <paramref name="relativePath"/> is excluded from the context. <paramref name="isDir"/> does not
    /// change the answer (docker has no directory-only patterns: <c>dir/</c> is cleaned to <c>dir</c>); it is here so
    /// callers say what they walk.</summary>
    public bool Matches(string relativePath, bool isDir = false)
    {
        _ = isDir;
        return Match(relativePath, null).Excluded;
    }

    /// <summary>Per-pattern "this path or a parent matched", carried down a walk so each entry costs one match per pattern.</summary>
    public sealed class MatchState
    {
        internal MatchState(bool[] matched, bool excluded) { Matched = matched; Excluded = excluded; }
        internal bool[] Matched { get; }

        /// <summary>Whether the path is excluded.</summary>
        public bool Excluded { get; }
    }

    /// <summary>Matches <paramref name="relativePath"/> using its parent directory's state (null: compute the parents
    /// here). Walk the context top-down and pass each directory's state to its entries.</summary>
    public MatchState Match(string relativePath, MatchState? parent)
    {
        string path = Normalize(relativePath);
        var matched = new bool[_patterns.Length];
        bool excluded = false;
        string[]? parents = null;
        for (int i = 0; i < _patterns.Length; i++)
        {
            var p = _patterns[i];
            bool m;
            if (parent is not null) m = parent.Matched[i] || p.IsMatch(path);
            else
            {
                m = p.IsMatch(path);
                if (!m)
                {
                    parents ??= Parents(path);
                    foreach (var dir in parents) if (p.IsMatch(dir)) { m = true; break; }
                }
            }
            matched[i] = m;
            if (m) excluded = !p.Exclusion;
        }
        return new MatchState(matched, excluded);
    }

    /// <summary>True when <paramref name="relativeDir"/> is excluded and no <c>!</c> pattern can re-include anything
    /// in it, so a walk need not enter it at all (the common case: <c>node_modules</c>, <c>.git</c>).</summary>
    public bool CanSkipDirectory(string relativeDir) => CanSkipDirectory(relativeDir, Match(relativeDir, null));

    /// <summary>The same, with the directory's already computed state.</summary>
    public bool CanSkipDirectory(string relativeDir, MatchState state)
    {
        if (!state.Excluded) return false;
        string dir = Normalize(relativeDir);
        var dirParts = dir.Split('/');
        foreach (var p in _patterns)
        {
            if (!p.Exclusion) continue;
            if (CouldMatchBelow(p.Components, dirParts)) return false;
        }
        return true;
    }

    /// <summary>Could a pattern with these components match some path strictly below the directory? Compares
    /// component by component; <c>**</c> can stand for any number of them.</summary>
    private static bool CouldMatchBelow(string[] pattern, string[] dir) => CouldMatch(pattern, 0, dir, 0);

    private static bool CouldMatch(string[] pattern, int pi, string[] dir, int di)
    {
        if (di == dir.Length) return pi < pattern.Length; // something left to match a child
        if (pi == pattern.Length) return false;
        string pc = pattern[pi];
        if (pc.StartsWith("**", StringComparison.Ordinal)) return true; // conservative: ** may span anything
        if (!ComponentMatch(pc, dir[di])) return false;
        return CouldMatch(pattern, pi + 1, dir, di + 1);
    }

    private static bool ComponentMatch(string patternComponent, string name)
    {
        if (patternComponent.Contains("**", StringComparison.Ordinal)) return true;
        return new IgnorePattern(patternComponent, false).IsMatch(name);
    }

    private static string Normalize(string path)
    {
        string p = PathClean.Clean(path);
        if (p.StartsWith('/')) p = p.TrimStart('/');
        return p.Length == 0 ? "." : p;
    }

    private static string[] Parents(string path)
    {
        var parts = path.Split('/');
        var result = new string[Math.Max(0, parts.Length - 1)];
        for (int i = 0; i < result.Length; i++) result[i] = string.Join('/', parts, 0, i + 1);
        return result;
    }
}
