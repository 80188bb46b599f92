using System.Runtime.InteropServices;

namespace Skiff.Linux;

/// <summary>Pseudo-terminals: ptmx/pts, controlling terminal, window size, raw mode.</summary>
public static unsafe partial class Terminals
{
    const ulong TIOCSPTLCK = 0x40045431, TIOCGPTN = 0x80045430, TIOCSCTTY = 0x540E, TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414;

    [LibraryImport("libc", SetLastError = true)] private static partial int ioctl(int fd, ulong request, void* arg);
    [LibraryImport("libc", SetLastError = true)] private static partial int isatty(int fd);
    [LibraryImport("libc", SetLastError = true)] private static partial int tcgetattr(int fd, byte* termios);
    [LibraryImport("libc", SetLastError = true)] private static partial int tcsetattr(int fd, int when, byte* termios);
    [LibraryImport("libc", SetLastError = true)] private static partial void cfmakeraw(byte* termios);

    [StructLayout(LayoutKind.Sequential)] public struct WinSize { public ushort Rows, Cols, XPixel, YPixel; }

    /// <summary>Opens a new pty pair through <paramref name="ptmx"/>; returns the master and the slave's path.</summary>
    public static (Fd Master, string SlavePath) OpenPty(string ptmx = "/dev/ptmx")
    {
        var master = Files.Open(ptmx, Files.O_RDWR | Files.O_NOCTTY);
        try
        {
            int unlock = 0, n = 0;
            if (ioctl(master.Value, TIOCSPTLCK, &unlock) != 0) throw LinuxException.FromLastError("ioctl TIOCSPTLCK", ptmx);
            if (ioctl(master.Value, TIOCGPTN, &n) != 0) throw LinuxException.FromLastError("ioctl TIOCGPTN", ptmx);
            return (master, $"/dev/pts/{n}");
        }
        catch { master.Dispose(); throw; }
    }

    public static void SetControlling(int fd)
    {
        if (ioctl(fd, TIOCSCTTY, null) != 0) throw LinuxException.FromLastError("ioctl TIOCSCTTY");
    }

    public static bool IsTerminal(int fd) => isatty(fd) == 1;

    public static WinSize? GetSize(int fd)
    {
        WinSize w;
        return ioctl(fd, TIOCGWINSZ, &w) == 0 ? w : null;
    }

    public static void SetSize(int fd, ushort rows, ushort cols)
    {
        var w = new WinSize { Rows = rows, Cols = cols };
        if (ioctl(fd, TIOCSWINSZ, &w) != 0) throw LinuxException.FromLastError("ioctl TIOCSWINSZ");
    }

    /// <summary>Puts <paramref name="fd"/> in raw mode; returns the saved settings for <see cref="Restore"/>.</summary>
    public static byte[]? MakeRaw(int fd)
    {
        var saved = new byte[64];
        fixed (byte* s = saved)
        {
            if (tcgetattr(fd, s) != 0) return null;
            byte* raw = stackalloc byte[64];
            new Span<byte>(s, 64).CopyTo(new Span<byte>(raw, 64));
            cfmakeraw(raw);
            tcsetattr(fd, 0, raw);
        }
        return saved;
    }

    public static void Restore(int fd, byte[] saved)
    {
        fixed (byte* s = saved) tcsetattr(fd, 0, s);
    }
}
