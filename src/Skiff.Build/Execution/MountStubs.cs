using Skiff.Linux;

namespace Skiff.Build.Execution;

/// <summary>The runtime creates a missing mount destination (and its parents) inside the root; those empty stubs
/// must not end up in the layer. Noted before the container runs, removed after it when still empty.</summary>
public sealed class MountStubs : IDisposable
{
    readonly string _root;
    readonly List<string> _missing = [];

    public MountStubs(string root, IEnumerable<string> destinations)
    {
        _root = root;
        using var w = new RootWriter(root);
        foreach (var d in destinations)
        {
            var p = RootWriter.Normalize(d);
            while (p != "/" && !w.TryStat(p, out _))
            {
                if (!_missing.Contains(p)) _missing.Add(p);
                p = p[..Math.Max(1, p.LastIndexOf('/'))];
            }
        }
        _missing.Sort((a, b) => b.Length.CompareTo(a.Length));
    }

    public void Dispose()
    {
        if (_missing.Count == 0) return;
        using var w = new RootWriter(_root);
        foreach (var p in _missing)
        {
            if (!w.TryStat(p, out var st)) continue;
            var type = st.Mode & Files.S_IFMT;
            if (type == Files.S_IFDIR)
            {
                if (Directory.EnumerateFileSystemEntries(w.DirPath(p)).Any()) continue;
            }
            else if (type != Files.S_IFREG || st.Size != 0) continue;
            w.Remove(p);
        }
    }
}
