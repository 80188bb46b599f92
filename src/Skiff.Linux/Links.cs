using System.Runtime.InteropServices;

namespace Skiff.Linux;

/// <summary>linkat(2), renameat(2), readlinkat(2), fchmodat(2): name-level operations relative to directory fds.</summary>
public static unsafe partial class Links
{
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int linkat(int olddirfd, string oldpath, int newdirfd, string newpath, int flags);
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int renameat(int olddirfd, string oldpath, int newdirfd, string newpath);
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint readlinkat(int dirfd, string path, byte* buf, nuint size);
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int fchmodat(int dirfd, string path, uint mode, int flags);

    /// <summary>Hard-links the file open as <paramref name="fd"/> (an O_PATH fd is enough; needs CAP_DAC_READ_SEARCH)
    /// as <paramref name="name"/> in <paramref name="dirfd"/>.</summary>
    public static void LinkFd(int fd, int dirfd, string name)
    {
        if (linkat(fd, "", dirfd, name, Files.AT_EMPTY_PATH) != 0) throw LinuxException.FromLastError("linkat", name);
    }

    public static void Link(string oldpath, string newpath)
    {
        if (linkat(Files.AT_FDCWD, oldpath, Files.AT_FDCWD, newpath, 0) != 0) throw LinuxException.FromLastError("link", newpath);
    }

    public static void RenameAt(int olddirfd, string oldpath, int newdirfd, string newpath)
    {
        if (renameat(olddirfd, oldpath, newdirfd, newpath) != 0) throw LinuxException.FromLastError("renameat", newpath);
    }

    public static string ReadLinkAt(int dirfd, string path)
    {
        var buf = stackalloc byte[4096];
        nint n = readlinkat(dirfd, path, buf, 4096);
        if (n < 0) throw LinuxException.FromLastError("readlinkat", path);
        return System.Text.Encoding.UTF8.GetString(buf, (int)n);
    }

    /// <summary>fchmodat without AT_SYMLINK_NOFOLLOW (unsupported for symlinks); callers only pass non-symlinks.</summary>
    public static void ChmodAt(int dirfd, string path, uint mode)
    {
        if (fchmodat(dirfd, path, mode, 0) != 0) throw LinuxException.FromLastError("fchmodat", path);
    }
}
