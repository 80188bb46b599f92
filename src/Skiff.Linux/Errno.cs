namespace Skiff.Linux;

/// <summary>errno values used by Skiff and their symbolic names (as runc/crun print them).</summary>
public static class Errno
{
    public const int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, ENXIO = 6, E2BIG = 7, ENOEXEC = 8,
        EBADF = 9, ECHILD = 10, EAGAIN = 11, ENOMEM = 12, EACCES = 13, EFAULT = 14, EBUSY = 16, EEXIST = 17,
        EXDEV = 18, ENODEV = 19, ENOTDIR = 20, EISDIR = 21, EINVAL = 22, ENFILE = 23, EMFILE = 24, ENOTTY = 25,
        ETXTBSY = 26, EFBIG = 27, ENOSPC = 28, ESPIPE = 29, EROFS = 30, EMLINK = 31, EPIPE = 32, ERANGE = 34,
        EDEADLK = 35, ENAMETOOLONG = 36, ENOSYS = 38, ENOTEMPTY = 39, ELOOP = 40, ENODATA = 61, EOPNOTSUPP = 95,
        EADDRINUSE = 98, ECONNREFUSED = 111, ETIMEDOUT = 110;

    static readonly Dictionary<int, (string Name, string Text)> Table = new()
    {
        [EPERM] = ("EPERM", "operation not permitted"), [ENOENT] = ("ENOENT", "no such file or directory"),
        [ESRCH] = ("ESRCH", "no such process"), [EINTR] = ("EINTR", "interrupted system call"),
        [EIO] = ("EIO", "input/output error"), [ENXIO] = ("ENXIO", "no such device or address"),
        [E2BIG] = ("E2BIG", "argument list too long"), [ENOEXEC] = ("ENOEXEC", "exec format error"),
        [EBADF] = ("EBADF", "bad file descriptor"), [ECHILD] = ("ECHILD", "no child processes"),
        [EAGAIN] = ("EAGAIN", "resource temporarily unavailable"), [ENOMEM] = ("ENOMEM", "cannot allocate memory"),
        [EACCES] = ("EACCES", "permission denied"), [EFAULT] = ("EFAULT", "bad address"),
        [EBUSY] = ("EBUSY", "device or resource busy"), [EEXIST] = ("EEXIST", "file exists"),
        [EXDEV] = ("EXDEV", "invalid cross-device link"), [ENODEV] = ("ENODEV", "no such device"),
        [ENOTDIR] = ("ENOTDIR", "not a directory"), [EISDIR] = ("EISDIR", "is a directory"),
        [EINVAL] = ("EINVAL", "invalid argument"), [ENFILE] = ("ENFILE", "too many open files in system"),
        [EMFILE] = ("EMFILE", "too many open files"), [ENOTTY] = ("ENOTTY", "inappropriate ioctl for device"),
        [ETXTBSY] = ("ETXTBSY", "text file busy"), [EFBIG] = ("EFBIG", "file too large"),
        [ENOSPC] = ("ENOSPC", "no space left on device"), [ESPIPE] = ("ESPIPE", "illegal seek"),
        [EROFS] = ("EROFS", "read-only file system"), [EMLINK] = ("EMLINK", "too many links"),
        [EPIPE] = ("EPIPE", "broken pipe"), [ERANGE] = ("ERANGE", "numerical result out of range"),
        [EDEADLK] = ("EDEADLK", "resource deadlock avoided"), [ENAMETOOLONG] = ("ENAMETOOLONG", "file name too long"),
        [ENOSYS] = ("ENOSYS", "function not implemented"), [ENOTEMPTY] = ("ENOTEMPTY", "directory not empty"),
        [ELOOP] = ("ELOOP", "too many levels of symbolic links"), [ENODATA] = ("ENODATA", "no data available"),
        [EOPNOTSUPP] = ("EOPNOTSUPP", "operation not supported"), [EADDRINUSE] = ("EADDRINUSE", "address already in use"),
        [ECONNREFUSED] = ("ECONNREFUSED", "connection refused"), [ETIMEDOUT] = ("ETIMEDOUT", "connection timed out"),
    };

    public static string Name(int errno) => Table.TryGetValue(errno, out var e) ? e.Name : $"errno {errno}";
    public static string Describe(int errno) => Table.TryGetValue(errno, out var e) ? e.Text : "unknown error";
}
