using Skiff.Linux;

namespace Skiff.Runtime.Cgroups;

/// <summary>Reads and writes of cgroup interface files, failures turned into <see cref="CgroupException"/>.</summary>
internal static class CgroupFile
{
    /// <summary>One write of <paramref name="value"/> to <paramref name="dir"/>/<paramref name="file"/>.</summary>
    public static void Write(string controller, string dir, string file, string value)
    {
        var path = dir + "/" + file;
        try { Files.WriteText(path, value, Files.O_WRONLY); }
        catch (LinuxException e) { throw CgroupException.From(controller, path, value, e, Hint(controller, file, e.Errno)); }
    }

    /// <summary>Like <see cref="Write"/> but returns the errno instead of throwing.</summary>
    public static int TryWrite(string dir, string file, string value)
    {
        try { Files.WriteText(dir + "/" + file, value, Files.O_WRONLY); return 0; }
        catch (LinuxException e) { return e.Errno; }
    }

    public static string Read(string controller, string dir, string file)
    {
        var path = dir + "/" + file;
        try { return Files.ReadText(path).TrimEnd('\n'); }
        catch (LinuxException e) { throw CgroupException.From(controller, path, null, e, Hint(controller, file, e.Errno)); }
    }

    /// <summary>The file's text, or null if it does not exist (optional interface files).</summary>
    public static string? TryRead(string dir, string file)
    {
        try { return Files.ReadText(dir + "/" + file).TrimEnd('\n'); }
        catch (LinuxException) { return null; }
    }

    public static bool Exists(string dir, string file) => Files.TryStatAt(Files.AT_FDCWD, dir + "/" + file, 0, out _, out _);

    /// <summary>A number file; "max" reads as <see cref="ulong.MaxValue"/>, a missing file as 0.</summary>
    public static ulong ReadNumber(string dir, string file)
    {
        var s = TryRead(dir, file);
        return s is null ? 0 : ParseNumber(s);
    }

    public static ulong ParseNumber(ReadOnlySpan<char> s)
    {
        s = s.Trim();
        if (s.SequenceEqual("max")) return ulong.MaxValue;
        return ulong.TryParse(s, out var v) ? v : long.TryParse(s, out var n) && n < 0 ? ulong.MaxValue : 0;
    }

    /// <summary>The value of <paramref name="key"/> in a flat keyed file ("key value" lines), or 0.</summary>
    public static ulong KeyedValue(string? text, string key)
    {
        if (text is null) return 0;
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            int sp = line.IndexOf(' ');
            if (sp == key.Length && line.StartsWith(key)) return ParseNumber(line[(sp + 1)..]);
        }
        return 0;
    }

    static string? Hint(string controller, string file, int errno) => errno switch
    {
        Errno.ENOENT => $"the {controller} controller is not available in this cgroup",
        _ => null,
    };
}
