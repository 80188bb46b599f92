using System.Runtime.InteropServices;

namespace Skiff.Linux;

/// <summary>fstatvfs(2): the mount flags of the mount an fd lives on, translated to MS_* bits.</summary>
public static unsafe partial class StatVfs
{
    [StructLayout(LayoutKind.Sequential)]
    struct StatvfsBuf
    {
        public ulong Bsize, Frsize, Blocks, Bfree, Bavail, Files, Ffree, Favail, Fsid, Flag, Namemax;
        public fixed int Spare[6];
    }

    [LibraryImport("libc", SetLastError = true)] private static partial int fstatvfs(int fd, StatvfsBuf* buf);

    public static ulong MountFlags(int fd)
    {
        StatvfsBuf b;
        if (fstatvfs(fd, &b) != 0) throw LinuxException.FromLastError("fstatvfs");
        // ST_* bits: RDONLY 1, NOSUID 2, NODEV 4, NOEXEC 8, SYNCHRONOUS 16, MANDLOCK 64, NOATIME 1024,
        // NODIRATIME 2048, RELATIME 4096 — the same values as MS_* except RELATIME.
        ulong f = b.Flag & (1 | 2 | 4 | 8 | 16 | 64 | 1024 | 2048);
        if ((b.Flag & 4096) != 0) f |= Mounts.MS_RELATIME;
        return f;
    }
}
