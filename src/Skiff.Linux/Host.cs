using System.Runtime.InteropServices;

namespace Skiff.Linux;

/// <summary>Per-process odds and ends: hostname, working directory, root, sessions, exec.</summary>
public static unsafe partial class Host
{
    [LibraryImport("libc", SetLastError = true)] private static partial int sethostname(byte* name, nuint len);
    [LibraryImport("libc", SetLastError = true)] private static partial int setdomainname(byte* name, nuint len);
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)] private static partial int chdir(string path);
    [LibraryImport("libc", SetLastError = true)] private static partial int fchdir(int fd);
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)] private static partial int chroot(string path);
    [LibraryImport("libc", SetLastError = true)] private static partial int setsid();
    [LibraryImport("libc", SetLastError = true)] private static partial int ioctl(int fd, ulong request, nint arg);
    [LibraryImport("libc", SetLastError = true)] private static partial int execve(byte* path, byte** argv, byte** envp);
    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)] private static partial long syscall3(long nr, long a1, long a2, long a3);

    public static void SetHostname(string name)
    {
        var b = System.Text.Encoding.UTF8.GetBytes(name);
        fixed (byte* p = b) if (sethostname(p, (nuint)b.Length) != 0) throw LinuxException.FromLastError("sethostname", null, name);
    }

    public static void SetDomainname(string name)
    {
        var b = System.Text.Encoding.UTF8.GetBytes(name);
        fixed (byte* p = b) if (setdomainname(p, (nuint)b.Length) != 0) throw LinuxException.FromLastError("setdomainname", null, name);
    }

    public static void Chdir(string path) { if (chdir(path) != 0) throw LinuxException.FromLastError("chdir", path); }
    public static void Fchdir(int fd, string? display = null) { if (fchdir(fd) != 0) throw LinuxException.FromLastError("fchdir", display); }
    public static void Chroot(string path) { if (chroot(path) != 0) throw LinuxException.FromLastError("chroot", path); }
    public static void Setsid() { if (setsid() < 0) throw LinuxException.FromLastError("setsid"); }

    public static int Ioctl(int fd, ulong request, nint arg)
    {
        int r = ioctl(fd, request, arg);
        if (r < 0) throw LinuxException.FromLastError("ioctl", null, $"request 0x{request:x}");
        return r;
    }

    /// <summary>close_range(first, ~0, flags); flags 4 = CLOSE_RANGE_CLOEXEC (mark instead of close).</summary>
    public static void CloseRange(int first, bool cloexecOnly)
    {
        if (syscall3(436, first, uint.MaxValue, cloexecOnly ? 4 : 0) != 0) throw LinuxException.FromLastError("close_range");
    }

    /// <summary>execve(2). Returns only on failure, with the errno.</summary>
    public static int Exec(string path, IReadOnlyList<string> argv, IReadOnlyList<string> env)
    {
        byte** av = (byte**)NativeMemory.Alloc((nuint)(argv.Count + 1), (nuint)sizeof(nint));
        byte** ev = (byte**)NativeMemory.Alloc((nuint)(env.Count + 1), (nuint)sizeof(nint));
        for (int i = 0; i < argv.Count; i++) av[i] = (byte*)Marshal.StringToCoTaskMemUTF8(argv[i]);
        for (int i = 0; i < env.Count; i++) ev[i] = (byte*)Marshal.StringToCoTaskMemUTF8(env[i]);
        av[argv.Count] = null; ev[env.Count] = null;
        var p = (byte*)Marshal.StringToCoTaskMemUTF8(path);
        execve(p, av, ev);
        int e = Marshal.GetLastPInvokeError();
        Marshal.FreeCoTaskMem((nint)p);
        for (int i = 0; i < argv.Count; i++) Marshal.FreeCoTaskMem((nint)av[i]);
        for (int i = 0; i < env.Count; i++) Marshal.FreeCoTaskMem((nint)ev[i]);
        NativeMemory.Free(av); NativeMemory.Free(ev);
        return e;
    }
}
