namespace Skiff.Images.Content;

/// <summary>Which registry repositories a blob came from ("registry/path" lines per blob), so a push to another
/// repository of the same registry can mount it instead of uploading it.</summary>
public sealed class BlobSources
{
    readonly string _dir;
    public BlobSources(string dir) { _dir = dir; Directory.CreateDirectory(dir); }

    public void Add(Digest d, string registry, string path)
    {
        var f = Path.Combine(_dir, d.Hex);
        var line = $"{registry}/{path}";
        lock (this)
        {
            if (File.Exists(f) && File.ReadAllLines(f).Contains(line)) return;
            File.AppendAllText(f, line + "\n");
        }
    }

    /// <summary>Repositories (paths) on <paramref name="registry"/> that hold <paramref name="d"/>.</summary>
    public IEnumerable<string> On(Digest d, string registry)
    {
        var f = Path.Combine(_dir, d.Hex);
        if (!File.Exists(f)) yield break;
        foreach (var l in File.ReadAllLines(f))
            if (l.StartsWith(registry + "/", StringComparison.Ordinal)) yield return l[(registry.Length + 1)..];
    }

    public void Forget(Digest d) => File.Delete(Path.Combine(_dir, d.Hex));
}
