using System.Runtime.InteropServices;

namespace Skiff.Linux;

/// <summary>Sealed in-memory copies of files (the CVE-2019-5736 defence: the container can only ever see a copy).</summary>
public static unsafe partial class Memfd
{
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int memfd_create(string name, uint flags);
    [LibraryImport("libc", SetLastError = true)] private static partial nint sendfile(int outFd, int inFd, long* offset, nuint count);

    const uint MFD_CLOEXEC = 1, MFD_ALLOW_SEALING = 2, MFD_EXEC = 0x10;
    const int F_SEAL_SEAL = 1, F_SEAL_SHRINK = 2, F_SEAL_GROW = 4, F_SEAL_WRITE = 8, F_SEAL_FUTURE_WRITE = 0x10;

    /// <summary>Copies the file at <paramref name="path"/> into a memfd and seals it against any change.</summary>
    public static Fd SealedCopy(string path, string name)
    {
        using var src = Files.Open(path, Files.O_RDONLY);
        int m = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
        if (m < 0 && Marshal.GetLastPInvokeError() == Errno.EINVAL)
            m = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
        if (m < 0) throw LinuxException.FromLastError("memfd_create", name);
        var mfd = new Fd(m);
        try
        {
            long size = Files.Fstat(src.Value, path).Size;
            long off = 0;
            while (off < size)
            {
                nint n = sendfile(m, src.Value, &off, (nuint)(size - off));
                if (n < 0) throw LinuxException.FromLastError("sendfile", path);
                if (n == 0) break;
            }
            Files.Fcntl(m, Files.F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE);
            return mfd;
        }
        catch { mfd.Dispose(); throw; }
    }
}
