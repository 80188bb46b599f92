namespace Skiff.Runtime.Cgroups;

/// <summary>One line of /proc/self/mountinfo (proc(5)), with the octal escapes (\040 …) decoded.</summary>
public readonly record struct MountInfo(string Root, string MountPoint, string FsType, string SuperOptions)
{
    /// <summary>Parses every line; malformed lines are skipped.</summary>
    public static List<MountInfo> ParseAll(string text)
    {
        var list = new List<MountInfo>();
        foreach (var line in text.AsSpan().EnumerateLines())
            if (TryParse(line, out var m)) list.Add(m);
        return list;
    }

    // 36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
    // (1)(2)(3)   (4)   (5)      (6)      (7)   (8) (9)   (10)         (11)
    public static bool TryParse(ReadOnlySpan<char> line, out MountInfo mount)
    {
        mount = default;
        int sep = line.IndexOf(" - ");
        if (sep < 0) return false;
        var head = line[..sep];
        var tail = line[(sep + 3)..];
        Span<Range> f = stackalloc Range[6];
        if (head.Split(f, ' ', StringSplitOptions.RemoveEmptyEntries) < 5) return false;
        Span<Range> t = stackalloc Range[4];
        int nt = tail.Split(t, ' ', StringSplitOptions.RemoveEmptyEntries);
        if (nt < 2) return false;
        mount = new MountInfo(Unescape(head[f[3]]), Unescape(head[f[4]]), tail[t[0]].ToString(),
            nt >= 3 ? tail[t[2]].ToString() : "");
        return true;
    }

    static string Unescape(ReadOnlySpan<char> s)
    {
        if (s.IndexOf('\\') < 0) return s.ToString();
        var sb = new System.Text.StringBuilder(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\' && IsOctal(s, i + 1))
            {
                sb.Append((char)((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0')));
                i += 3;
            }
            else sb.Append(s[i]);
        }
        return sb.ToString();
    }

    static bool IsOctal(ReadOnlySpan<char> s, int at)
        => at + 2 < s.Length && s[at] is >= '0' and <= '7' && s[at + 1] is >= '0' and <= '7' && s[at + 2] is >= '0' and <= '7';
}
