using System.Runtime.InteropServices;

namespace Skiff.Linux;

/// <summary>utimensat(2): set access and modification times, optionally without following a symlink.</summary>
public static unsafe partial class Times
{
    [StructLayout(LayoutKind.Sequential)] struct Timespec { public long Sec, Nsec; }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int utimensat(int dirfd, string path, Timespec* times, int flags);

    public static void SetAt(int dirfd, string path, long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec, int flags)
    {
        Timespec* t = stackalloc Timespec[2];
        t[0] = new Timespec { Sec = atimeSec, Nsec = atimeNsec };
        t[1] = new Timespec { Sec = mtimeSec, Nsec = mtimeNsec };
        if (utimensat(dirfd, path, t, flags) != 0) throw LinuxException.FromLastError("utimensat", path);
    }
}
