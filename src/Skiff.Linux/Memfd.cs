using System.Runtime.InteropServices;

namespace Skiff.Linux;

/// <summary>Sealed in-memory copies of files (the CVE-2019-5736 defence: the container can only ever see a copy).</summary>
public static unsafe partial class Memfd
{
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int memfd_create(string name, uint flags);

    const uint MFD_CLOEXEC = 1, MFD_ALLOW_SEALING = 2, MFD_EXEC = 0x10;
    const int F_SEAL_SEAL = 1, F_SEAL_SHRINK = 2, F_SEAL_GROW = 4, F_SEAL_WRITE = 8, F_SEAL_FUTURE_WRITE = 0x10;

    /// <summary>An anonymous in-memory file (close-on-exec), e.g. to collect a child's output without a pipe.</summary>
    public static Fd Create(string name)
    {
        int m = memfd_create(name, MFD_CLOEXEC);
        if (m < 0) throw LinuxException.FromLastError("memfd_create", name);
        return new Fd(m);
    }

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
            // read/write through a stack buffer, not sendfile: sendfile's splice left page references that made
            // F_SEAL_WRITE fail with EBUSY now and then (seen in bench/runtime's interleaved runs).
            Span<byte> buf = stackalloc byte[64 * 1024];
            while (true)
            {
                int n = Files.Read(src.Value, buf);
                if (n == 0) break;
                Files.WriteAll(m, buf[..n], name);
            }
            for (int attempt = 0; ; attempt++)
            {
                try
                {
                    Files.Fcntl(m, Files.F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE);
                    return mfd;
                }
                catch (LinuxException e) when (e.Errno == Errno.EBUSY && attempt < 5) { Thread.Sleep(2); }
            }
        }
        catch { mfd.Dispose(); throw; }
    }
}
