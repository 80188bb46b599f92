namespace Skiff.Linux;

/// <summary>A failed system call: which call, on what path (if any), and the errno with its name.</summary>
public sealed class LinuxException : Exception
{
    public LinuxException(string syscall, string? path, int errno, string? detail = null)
        : base(Format(syscall, path, errno, detail))
    {
        Syscall = syscall;
        Path = path;
        Errno = errno;
    }

    public string Syscall { get; }
    public string? Path { get; }
    public int Errno { get; }
    public string ErrnoName => Linux.Errno.Name(Errno);

    static string Format(string syscall, string? path, int errno, string? detail)
    {
        var where = path is null ? syscall : $"{syscall} {path}";
        var what = detail is null ? "" : $" ({detail})";
        return $"{where}{what}: {Linux.Errno.Name(errno)} ({Linux.Errno.Describe(errno)})";
    }

    /// <summary>Throws for the calling thread's last errno.</summary>
    public static LinuxException FromLastError(string syscall, string? path = null, string? detail = null)
        => new(syscall, path, System.Runtime.InteropServices.Marshal.GetLastPInvokeError(), detail);
}
