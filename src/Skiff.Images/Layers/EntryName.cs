namespace Skiff.Images.Layers;

/// <summary>Turns a tar entry name into a clean relative path, refusing anything that could leave the root.</summary>
public static class EntryName
{
    /// <summary>"./a//b/" → "a/b"; "" for the root itself. Absolute names and ".." components are refused.</summary>
    public static string Clean(string name)
    {
        if (name.StartsWith('/')) throw new LayerSecurityException($"absolute path \"{name}\" in layer");
        if (name.Contains('\0')) throw new LayerSecurityException("NUL in path in layer");
        var parts = new List<string>();
        foreach (var p in name.Split('/'))
        {
            if (p.Length == 0 || p == ".") continue;
            if (p == "..") throw new LayerSecurityException($"path \"{name}\" in layer leaves the root (\"..\")");
            parts.Add(p);
        }
        return string.Join('/', parts);
    }

    public static (string Parent, string Base) Split(string clean)
    {
        int i = clean.LastIndexOf('/');
        return i < 0 ? ("", clean) : (clean[..i], clean[(i + 1)..]);
    }
}

/// <summary>A layer tried to reach outside the directory it is applied to, or named something no layer may name.</summary>
public sealed class LayerSecurityException(string message) : Exception("refusing hostile layer: " + message);
