using System.Diagnostics;

namespace Oar.Tests.Fixtures;

/// <summary>Root filesystems for test containers: a busybox one made from Debian's busybox-static (always), and
/// a Debian one made by debootstrap (cached under /var/tmp, made on first use).</summary>
public static class Rootfs
{
    static readonly Lazy<string> busybox = new(MakeBusybox);
    static readonly Lazy<string?> debian = new(MakeDebian);

    public static string Busybox => busybox.Value;

    /// <summary>The Debian rootfs, or null with the reason in <see cref="DebianUnavailable"/>.</summary>
    public static string? Debian => debian.Value;
    public static string DebianUnavailable { get; private set; } = "";

    static string MakeBusybox()
    {
        var root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"oar-test-busybox-{Environment.ProcessId}");
        var bin = System.IO.Path.Combine(root, "bin");
        if (!File.Exists("/bin/busybox")) throw new InvalidOperationException("/bin/busybox is missing: apt-get install busybox-static");
        Directory.CreateDirectory(bin);
        File.Copy("/bin/busybox", System.IO.Path.Combine(bin, "busybox"), overwrite: true);
        var list = Run("/bin/busybox", "--list").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var applet in list)
        {
            var link = System.IO.Path.Combine(bin, applet);
            if (!File.Exists(link) && applet != "busybox") File.CreateSymbolicLink(link, "busybox");
        }
        foreach (var d in new[] { "proc", "sys", "dev", "etc", "tmp", "root", "home/user" }) Directory.CreateDirectory(System.IO.Path.Combine(root, d));
        File.WriteAllText(System.IO.Path.Combine(root, "etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000:user:/home/user:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n");
        File.WriteAllText(System.IO.Path.Combine(root, "etc/group"), "root:x:0:\nuser:x:1000:\nnogroup:x:65534:\n");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(root, true); } catch (IOException) { } };
        return root;
    }

    static string? MakeDebian()
    {
        const string root = "/var/tmp/skiff-test-debian";
        if (File.Exists(System.IO.Path.Combine(root, ".complete"))) return root;
        if (!File.Exists("/usr/sbin/debootstrap")) { DebianUnavailable = "debootstrap is not installed"; return null; }
        var mirror = Mirror();
        if (Directory.Exists(root)) Directory.Delete(root, true);
        var psi = new ProcessStartInfo("/usr/sbin/debootstrap", ["--variant=minbase", "bookworm", root, mirror])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) { DebianUnavailable = "debootstrap failed: " + err.Result; return null; }
        File.WriteAllText(System.IO.Path.Combine(root, ".complete"), "");
        return root;
    }

    static string Mirror()
    {
        foreach (var f in Directory.EnumerateFiles("/etc/apt/sources.list.d"))
            foreach (var line in File.ReadLines(f))
                if (line.StartsWith("URIs:", StringComparison.Ordinal) && line.Contains("debian") && !line.Contains("security"))
                    return line[5..].Trim();
        return "http://deb.debian.org/debian";
    }

    static string Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        var s = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return s;
    }
}
