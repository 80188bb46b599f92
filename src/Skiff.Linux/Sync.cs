using System.Runtime.InteropServices;

namespace Skiff.Linux;

/// <summary>fsync(2) of files and directories: what makes a rename durable.</summary>
public static partial class Sync
{
    [LibraryImport("libc", SetLastError = true)] private static partial int fsync(int fd);
    [LibraryImport("libc", SetLastError = true)] private static partial int ftruncate(int fd, long length);

    public static void Fsync(int fd, string? pathForError = null)
    {
        if (fsync(fd) != 0) throw LinuxException.FromLastError("fsync", pathForError);
    }

    /// <summary>Makes a directory's entries (a create or rename inside it) durable.</summary>
    public static void Directory(string path)
    {
        using var fd = Files.Open(path, Files.O_RDONLY | Files.O_DIRECTORY);
        Fsync(fd.Value, path);
    }

    public static void Truncate(int fd, long length, string? pathForError = null)
    {
        if (ftruncate(fd, length) != 0) throw LinuxException.FromLastError("ftruncate", pathForError);
    }
}
