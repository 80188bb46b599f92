namespace Skiff.Images.Tests;

/// <summary>A temporary directory removed (with anything mounted under it unmounted) when disposed.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir(string prefix = "skiff-test")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():n}"[..(prefix.Length + 13)]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }
    public string Sub(string name) { var p = System.IO.Path.Combine(Path, name); Directory.CreateDirectory(p); return p; }
    public override string ToString() => Path;

    public void Dispose()
    {
        foreach (var line in File.ReadAllLines("/proc/self/mountinfo").Reverse())
        {
            var mp = line.Split(' ')[4];
            if (mp.StartsWith(Path + "/", StringComparison.Ordinal) || mp == Path) Linux.Mounts.TryUnmount(mp, Linux.Mounts.MNT_DETACH);
        }
        try { Directory.Delete(Path, recursive: true); } catch (DirectoryNotFoundException) { }
    }
}
