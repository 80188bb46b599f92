using System.Diagnostics;
using Skiff.Images;
using Skiff.Images.Transfer;

namespace Skiff.Build.Tests.Fixtures;

/// <summary>A busybox base image made from Debian's busybox-static: every applet as a relative symlink, /etc/passwd
/// and /etc/group with root, nobody and an "app" user (1000:1000, also in group "extra" 2000), fixed mtimes.</summary>
public static class Busybox
{
    public const string Name = "localhost/busybox:test";

    public static string Rootfs(string dir)
    {
        foreach (var d in new[] { "bin", "etc", "tmp", "root", "home/app", "var", "usr/bin" }) Directory.CreateDirectory(Path.Combine(dir, d));
        File.Copy("/bin/busybox", Path.Combine(dir, "bin", "busybox"), overwrite: true);
        var psi = new ProcessStartInfo("/bin/busybox", ["--list"]) { RedirectStandardOutput = true };
        using (var p = Process.Start(psi)!)
        {
            foreach (var applet in p.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries))
                if (applet != "busybox") File.CreateSymbolicLink(Path.Combine(dir, "bin", applet), "busybox");
            p.WaitForExit();
        }
        File.WriteAllText(Path.Combine(dir, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n");
        File.WriteAllText(Path.Combine(dir, "etc", "group"), "root:x:0:\napp:x:1000:\nextra:x:2000:app\nnogroup:x:65534:\n");
        File.WriteAllText(Path.Combine(dir, "etc", "base-marker"), "from the base\n");
        File.SetUnixFileMode(Path.Combine(dir, "tmp"), (UnixFileMode)0x3ff);
        Linux.Files.FchownAt(Linux.Files.AT_FDCWD, Path.Combine(dir, "home/app"), 1000, 1000, 0);
        long t = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        foreach (var p in Directory.EnumerateFileSystemEntries(dir, "*", SearchOption.AllDirectories).Append(dir))
            Linux.Times.SetAt(Linux.Files.AT_FDCWD, p, t, 0, t, 0, Linux.Files.AT_SYMLINK_NOFOLLOW);
        return dir;
    }

    public static LocalImage Import(ImageService images, string name = Name)
    {
        var dir = Path.Combine(images.Root, "bb-rootfs-" + Guid.NewGuid().ToString("n")[..8]);
        try
        {
            Rootfs(dir);
            return new Importer(images).ImportDirectory(dir, Images.References.Reference.Parse(name).ToString(),
                new Images.Formats.ContainerConfig { Cmd = ["/bin/sh"], Env = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"] },
                new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero));
        }
        finally { Directory.Delete(dir, true); }
    }
}
