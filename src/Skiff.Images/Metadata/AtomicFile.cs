using Skiff.Linux;

namespace Skiff.Images.Metadata;

/// <summary>Replaces a file so a crash at any moment leaves either the old or the new content: write a temp file in the
/// same directory, fsync it, rename it over the target, fsync the directory.</summary>
public static class AtomicFile
{
    public static void Write(string path, ReadOnlySpan<byte> data)
    {
        var dir = Path.GetDirectoryName(path)!;
        var tmp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.tmp");
        using (var fd = Files.Open(tmp, Files.O_WRONLY | Files.O_CREAT | Files.O_TRUNC, 0x1a4))
        {
            Files.WriteAll(fd.Value, data, tmp);
            Sync.Fsync(fd.Value, tmp);
        }
        File.Move(tmp, path, overwrite: true);
        Sync.Directory(dir);
    }
}
