using System.Runtime.InteropServices;

namespace Skiff.Linux;

/// <summary>Process creation (posix_spawn), waiting, signals and pidfds.</summary>
public static unsafe partial class Processes
{
    [LibraryImport("libc", SetLastError = true)] private static partial int getpid();
    [LibraryImport("libc", SetLastError = true)] private static partial int kill(int pid, int sig);
    [LibraryImport("libc", SetLastError = true)] private static partial int waitpid(int pid, int* status, int options);
    [LibraryImport("libc", SetLastError = true)] private static partial int prctl(int option, nuint a2, nuint a3, nuint a4, nuint a5);
    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long syscall4(long nr, long a1, long a2, long a3, long a4);
    [LibraryImport("libc", SetLastError = true)] private static partial int posix_spawn_file_actions_init(byte* fa);
    [LibraryImport("libc", SetLastError = true)] private static partial int posix_spawn_file_actions_destroy(byte* fa);
    [LibraryImport("libc", SetLastError = true)] private static partial int posix_spawn_file_actions_adddup2(byte* fa, int fd, int newfd);
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int posix_spawn_file_actions_addchdir_np(byte* fa, string path);
    [LibraryImport("libc", SetLastError = true)] private static partial int posix_spawnattr_init(byte* attr);
    [LibraryImport("libc", SetLastError = true)] private static partial int posix_spawnattr_destroy(byte* attr);
    [LibraryImport("libc", SetLastError = true)] private static partial int posix_spawnattr_setflags(byte* attr, short flags);
    [LibraryImport("libc", SetLastError = true)] private static partial int posix_spawnattr_setsigmask(byte* attr, ulong* set);
    [LibraryImport("libc", SetLastError = true)] private static partial int posix_spawnattr_setsigdefault(byte* attr, ulong* set);
    [LibraryImport("libc", SetLastError = true)] private static partial int posix_spawn(int* pid, byte* path, byte* fa, byte* attr, byte** argv, byte** envp);

    public const int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGKILL = 9, SIGUSR1 = 10, SIGPIPE = 13, SIGALRM = 14,
        SIGTERM = 15, SIGCHLD = 17, SIGCONT = 18, SIGSTOP = 19, SIGWINCH = 28;
    public const int WNOHANG = 1, __WALL = 0x40000000;

    public static int CurrentPid => getpid();

    /// <summary>kill(2); returns 0 or the errno.</summary>
    public static int Signal(int pid, int signal) => kill(pid, signal) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>waitpid(2). Returns the pid (0 with WNOHANG and nothing ready) and the raw status.</summary>
    public static int Wait(int pid, out int status, int options = 0)
    {
        int s = 0;
        while (true)
        {
            int r = waitpid(pid, &s, options);
            if (r >= 0) { status = s; return r; }
            int e = Marshal.GetLastPInvokeError();
            if (e == Errno.EINTR) continue;
            throw new LinuxException("waitpid", null, e, $"pid {pid}");
        }
    }

    /// <summary>The shell's convention: exit code, or 128+signal for a killed process.</summary>
    public static int ExitCode(int status) => (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);
    public static bool Signaled(int status) => (status & 0x7f) != 0 && (status & 0x7f) != 0x7f;

    public const int PR_SET_PDEATHSIG = 1, PR_SET_DUMPABLE = 4, PR_SET_KEEPCAPS = 8, PR_SET_NAME = 15,
        PR_CAPBSET_READ = 23, PR_CAPBSET_DROP = 24, PR_SET_SECUREBITS = 28, PR_SET_CHILD_SUBREAPER = 36,
        PR_SET_NO_NEW_PRIVS = 38, PR_GET_NO_NEW_PRIVS = 39, PR_CAP_AMBIENT = 47;

    public static int Prctl(int option, nuint a2 = 0, nuint a3 = 0, nuint a4 = 0, nuint a5 = 0, string? what = null)
    {
        int r = prctl(option, a2, a3, a4, a5);
        if (r < 0) throw LinuxException.FromLastError("prctl", null, what ?? $"option {option}");
        return r;
    }

    public static int TryPrctl(int option, nuint a2 = 0, nuint a3 = 0, nuint a4 = 0, nuint a5 = 0)
        => prctl(option, a2, a3, a4, a5) < 0 ? -Marshal.GetLastPInvokeError() : 0;

    /// <summary>pidfd_open(2): a stable handle to a process (no pid reuse races).</summary>
    public static Fd PidfdOpen(int pid)
    {
        long r = syscall4(434, pid, 0, 0, 0);
        if (r < 0) throw LinuxException.FromLastError("pidfd_open", null, $"pid {pid}");
        return new Fd((int)r);
    }

    /// <summary>pidfd_send_signal(2); returns 0 or the errno.</summary>
    public static int SignalPidfd(int pidfd, int signal)
        => syscall4(424, pidfd, signal, 0, 0) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>
    /// Starts <paramref name="path"/> with posix_spawn (safe in a multi-threaded process). <paramref name="fds"/>
    /// maps child fd → parent fd (dup2'ed, so they survive exec). Signal mask and dispositions are reset so the
    /// child does not inherit .NET's ignored SIGPIPE.
    /// </summary>
    /// <summary>This process's environment as NAME=value strings, for <see cref="Spawn"/>.</summary>
    public static List<string> CurrentEnvironment()
    {
        var env = new List<string>();
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables()) env.Add($"{e.Key}={e.Value}");
        return env;
    }

    public static int Spawn(string path, IReadOnlyList<string> argv, IReadOnlyList<string> env,
        IReadOnlyList<(int Child, int Parent)> fds, string? cwd = null, bool newSession = false)
    {
        byte* fa = stackalloc byte[256];
        byte* attr = stackalloc byte[512];
        posix_spawn_file_actions_init(fa);
        posix_spawnattr_init(attr);
        var strings = new List<nint>();
        var spareFds = new List<int>();
        try
        {
            foreach (var (child, parent) in fds)
            {
                if (child == parent)
                {
                    // dup2 onto itself would keep O_CLOEXEC; go through a spare number instead.
                    int tmp = Files.Fcntl(parent, Files.F_DUPFD_CLOEXEC, 100);
                    spareFds.Add(tmp);
                    posix_spawn_file_actions_adddup2(fa, tmp, child);
                }
                else posix_spawn_file_actions_adddup2(fa, parent, child);
            }
            if (cwd is not null) posix_spawn_file_actions_addchdir_np(fa, cwd);
            ulong empty = 0, all = ~0UL;
            posix_spawnattr_setsigmask(attr, &empty);
            posix_spawnattr_setsigdefault(attr, &all);
            const short POSIX_SPAWN_SETSIGDEF = 0x04, POSIX_SPAWN_SETSIGMASK = 0x08, POSIX_SPAWN_SETSID = 0x80;
            posix_spawnattr_setflags(attr, (short)(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | (newSession ? POSIX_SPAWN_SETSID : 0)));

            byte** av = stackalloc byte*[argv.Count + 1];
            for (int i = 0; i < argv.Count; i++) { var p = Marshal.StringToCoTaskMemUTF8(argv[i]); strings.Add(p); av[i] = (byte*)p; }
            av[argv.Count] = null;
            byte** ev = (byte**)NativeMemory.Alloc((nuint)(env.Count + 1), (nuint)sizeof(nint));
            try
            {
                for (int i = 0; i < env.Count; i++) { var p = Marshal.StringToCoTaskMemUTF8(env[i]); strings.Add(p); ev[i] = (byte*)p; }
                ev[env.Count] = null;
                var pathPtr = Marshal.StringToCoTaskMemUTF8(path); strings.Add(pathPtr);
                int pid;
                int r = posix_spawn(&pid, (byte*)pathPtr, fa, attr, av, ev);
                if (r != 0) throw new LinuxException("posix_spawn", path, r);
                return pid;
            }
            finally { NativeMemory.Free(ev); }
        }
        finally
        {
            posix_spawn_file_actions_destroy(fa);
            posix_spawnattr_destroy(attr);
            foreach (var p in strings) Marshal.FreeCoTaskMem(p);
            foreach (var fd in spareFds) Native.close(fd);
        }
    }
}
