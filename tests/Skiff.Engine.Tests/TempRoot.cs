namespace Skiff.Engine.Tests;

/// <summary>A private data root under /tmp for one test; removed (mounts first) on dispose.</summary>
public sealed class TempRoot : IDisposable
{
    public TempRoot(string tag = "t")
    {
        Path = Directory.CreateTempSubdirectory($"skiff-test-parts-{tag}-").FullName;
    }

    public string Path { get; }

    public string Sub(string name)
    {
        var p = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(p);
        return p;
    }

    public void Dispose()
    {
        // Unmount anything a test left mounted below the root (deepest first) before deleting.
        var mounts = File.ReadAllLines("/proc/self/mountinfo").Select(l => l.Split(' ')[4])
            .Where(m => m.StartsWith(Path + "/", StringComparison.Ordinal)).OrderByDescending(m => m.Length);
        foreach (var m in mounts) Skiff.Linux.Mounts.TryUnmount(m, Skiff.Linux.Mounts.MNT_DETACH);
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
