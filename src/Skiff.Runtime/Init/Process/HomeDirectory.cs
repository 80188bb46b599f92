using Skiff.Linux;

namespace Skiff.Runtime.Init.Process;

/// <summary>HOME for the container user from the container's /etc/passwd (runc sets it when env lacks it).</summary>
public static class HomeDirectory
{
    public static string Of(uint uid)
    {
        // Errno, not exceptions: many images (busybox, distroless) have no /etc/passwd, and a thrown exception costs
        // more than the whole lookup in a process that runs once.
        using var fd = Files.TryOpen("/etc/passwd", Files.O_RDONLY, out _);
        if (!fd.IsValid) return "/";
        string text;
        try { text = Files.ReadToEnd(fd.Value); }
        catch (LinuxException) { return "/"; }
        Span<Range> f = stackalloc Range[8]; // name:password:uid:gid:gecos:home:shell
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (line.Split(f, ':') >= 6 && uint.TryParse(line[f[2]], out var u) && u == uid) return line[f[5]].ToString();
        }
        return "/";
    }
}
