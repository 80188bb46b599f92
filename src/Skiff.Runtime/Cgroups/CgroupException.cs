using Skiff.Linux;

namespace Skiff.Runtime.Cgroups;

/// <summary>
/// A cgroup operation that failed: which controller, which file, what value, and the errno (0 when the refusal is
/// ours, e.g. a limit below current usage). Message shape: <c>cgroup memory: write 1000 to memory.limit_in_bytes: EBUSY (device or resource busy)</c>.
/// </summary>
public sealed class CgroupException : Exception
{
    public CgroupException(string controller, string? file, string? value, int errno, string? detail = null, Exception? inner = null)
        : base(Format(controller, file, value, errno, detail), inner)
    {
        Controller = controller;
        File = file;
        Value = value;
        Errno = errno;
    }

    /// <summary>A refusal that is not about one file (layout, path, driver).</summary>
    public CgroupException(string controller, string message) : base($"cgroup {controller}: {message}")
    {
        Controller = controller;
    }

    public string Controller { get; }
    /// <summary>The file's path (full path when known).</summary>
    public string? File { get; }
    public string? Value { get; }
    public int Errno { get; }
    public string? ErrnoName => Errno == 0 ? null : Linux.Errno.Name(Errno);

    static string Format(string controller, string? file, string? value, int errno, string? detail)
    {
        var op = value is null ? $"read {Name(file)}" : $"write {Quote(value)} to {Name(file)}";
        var err = errno == 0 ? "" : $": {Linux.Errno.Name(errno)} ({Linux.Errno.Describe(errno)})";
        var more = detail is null ? "" : $": {detail}";
        return $"cgroup {controller}: {op}{err}{more}";
    }

    static string Name(string? file) => file is null ? "?" : System.IO.Path.GetFileName(file);
    static string Quote(string v) => v.Length == 0 || v.Contains(' ') || v.Contains('\n') ? $"\"{v.Replace("\n", "\\n")}\"" : v;

    internal static CgroupException From(string controller, string file, string? value, LinuxException e, string? detail = null)
        => new(controller, file, value, e.Errno, detail, e);
}
