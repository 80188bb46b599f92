using System.Diagnostics;
using Skiff.Linux;

namespace Skiff.Engine.Tests.Debian;

/// <summary>A Debian 12 (bookworm) minbase root filesystem made by debootstrap from this machine's apt mirror, cached
/// at <see cref="CacheDir"/> so later runs reuse it (built once, ~45 s, when absent). Built into a temporary directory
/// and renamed into place, under a lock, so a half-made tree is never used.</summary>
public static class DebianRootfs
{
    public const string CacheDir = "/var/cache/skiff-test/debian-rootfs";

    public static string Ensure()
    {
        if (Directory.Exists(CacheDir)) return CacheDir;
        Directory.CreateDirectory(Path.GetDirectoryName(CacheDir)!);
        using var lk = Locks.Take(CacheDir + ".lock", exclusive: true);
        if (Directory.Exists(CacheDir)) return CacheDir;
        var tmp = $"{CacheDir}.tmp-{Environment.ProcessId}";
        try
        {
            Remove(tmp);
            var mirror = Mirror();
            var psi = new ProcessStartInfo("debootstrap", ["--variant=minbase", "bookworm", tmp, mirror])
                { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi)!;
            var err = p.StandardError.ReadToEndAsync();
            var output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0 || !File.Exists(Path.Combine(tmp, "etc", "debian_version")))
                throw new InvalidOperationException($"debootstrap --variant=minbase bookworm {tmp} {mirror} failed ({p.ExitCode}):\n{err.Result}\n{Tail(output)}");
            Directory.Move(tmp, CacheDir);
            return CacheDir;
        }
        finally { Remove(tmp); }
    }

    static string Tail(string s) => s.Length > 4000 ? s[^4000..] : s;

    /// <summary>Unmounts what a failed debootstrap may have left mounted inside <paramref name="dir"/>, then deletes it.</summary>
    static void Remove(string dir)
    {
        if (!Directory.Exists(dir)) return;
        foreach (var line in File.ReadAllLines("/proc/self/mountinfo").Reverse())
        {
            var mp = line.Split(' ')[4];
            if (mp.StartsWith(dir + "/", StringComparison.Ordinal)) Mounts.TryUnmount(mp, Mounts.MNT_DETACH);
        }
        Directory.Delete(dir, recursive: true);
    }

    /// <summary>The bookworm mirror from /etc/apt/sources.list.d (deb822 .sources or one-line .list) or
    /// /etc/apt/sources.list; Debian's default when none is found.</summary>
    public static string Mirror()
    {
        var files = new List<string>();
        if (Directory.Exists("/etc/apt/sources.list.d")) files.AddRange(Directory.GetFiles("/etc/apt/sources.list.d").Order());
        if (File.Exists("/etc/apt/sources.list")) files.Add("/etc/apt/sources.list");
        foreach (var f in files)
        {
            if (f.EndsWith(".sources", StringComparison.Ordinal))
            {
                foreach (var block in File.ReadAllText(f).Split("\n\n"))
                {
                    string? uris = null, suites = null, types = null;
                    foreach (var line in block.Split('\n'))
                    {
                        if (line.StartsWith("URIs:", StringComparison.OrdinalIgnoreCase)) uris = line[5..].Trim();
                        if (line.StartsWith("Suites:", StringComparison.OrdinalIgnoreCase)) suites = line[7..].Trim();
                        if (line.StartsWith("Types:", StringComparison.OrdinalIgnoreCase)) types = line[6..].Trim();
                    }
                    if (uris is not null && suites is not null && (types ?? "deb").Split(' ').Contains("deb")
                        && suites.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains("bookworm"))
                        return uris.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
                }
            }
            else if (f.EndsWith(".list", StringComparison.Ordinal))
            {
                foreach (var line in File.ReadAllLines(f))
                {
                    var w = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    int i = 1;
                    if (w.Length > 1 && w[0] == "deb" && w[1].StartsWith('[')) while (i < w.Length && !w[i - 1].EndsWith(']')) i++;
                    if (w.Length > i + 1 && w[0] == "deb" && w[i + 1] == "bookworm") return w[i];
                }
            }
        }
        return "http://deb.debian.org/debian";
    }
}
