using System.Runtime.InteropServices;

namespace Skiff.Linux;

/// <summary>openat2(2): path resolution confined to a root (RESOLVE_IN_ROOT), the defence against symlink escapes.</summary>
public static unsafe partial class Resolve
{
    public const ulong RESOLVE_NO_XDEV = 1, RESOLVE_NO_MAGICLINKS = 2, RESOLVE_NO_SYMLINKS = 4,
        RESOLVE_BENEATH = 8, RESOLVE_IN_ROOT = 0x10;

    [StructLayout(LayoutKind.Sequential)]
    struct OpenHow { public ulong Flags, Mode, Resolve; }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial long syscall_openat2(long nr, int dirfd, string path, OpenHow* how, nuint size);

    /// <summary>Opens <paramref name="path"/> as if <paramref name="rootFd"/> were "/": "..", absolute symlinks
    /// and magic links cannot leave it.</summary>
    public static Fd InRoot(int rootFd, string path, int flags, uint mode = 0, string? displayPath = null)
    {
        var fd = TryInRoot(rootFd, path, flags, out int e, mode);
        if (!fd.IsValid) throw new LinuxException("openat2", displayPath ?? path, e);
        return fd;
    }

    public static Fd TryInRoot(int rootFd, string path, int flags, out int errno, uint mode = 0)
    {
        var how = new OpenHow
        {
            Flags = (ulong)(uint)(flags | Files.O_CLOEXEC),
            Mode = (flags & Files.O_CREAT) != 0 ? mode : 0,
            Resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
        };
        while (true)
        {
            long fd = syscall_openat2(437, rootFd, path, &how, (nuint)sizeof(OpenHow));
            if (fd >= 0) { errno = 0; return new Fd((int)fd); }
            errno = Marshal.GetLastPInvokeError();
            if (errno != Errno.EAGAIN && errno != Errno.EINTR) return Fd.None;
        }
    }
}
