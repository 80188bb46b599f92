using Skiff.Images.Transfer;

namespace Skiff.Images.Tests;

/// <summary>Images built locally from Debian's busybox-static (/bin/busybox): a rootfs with bin/busybox and symlinks.</summary>
public static class Busybox
{
    public const string Binary = "/bin/busybox";
    static readonly string[] Applets = ["sh", "ls", "cat", "echo", "true", "false", "sleep", "env", "id"];

    public static string Rootfs(string dir, string? marker = null)
    {
        Directory.CreateDirectory(Path.Combine(dir, "bin"));
        Directory.CreateDirectory(Path.Combine(dir, "etc"));
        Directory.CreateDirectory(Path.Combine(dir, "tmp"));
        File.Copy(Binary, Path.Combine(dir, "bin", "busybox"), overwrite: true);
        foreach (var a in Applets) File.CreateSymbolicLink(Path.Combine(dir, "bin", a), "busybox");
        File.WriteAllText(Path.Combine(dir, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        File.WriteAllText(Path.Combine(dir, "etc", "marker"), marker ?? "busybox\n");
        long fixedTime = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        foreach (var p in Directory.EnumerateFileSystemEntries(dir, "*", SearchOption.AllDirectories).Append(dir))
            Linux.Times.SetAt(Linux.Files.AT_FDCWD, p, fixedTime, 0, fixedTime, 0, Linux.Files.AT_SYMLINK_NOFOLLOW);
        return dir;
    }

    public static LocalImage Import(ImageService images, string name, string? marker = null)
    {
        using var t = new TempDir("bbroot");
        Rootfs(t.Path, marker);
        return new Importer(images).ImportDirectory(t.Path, References.Reference.Parse(name).ToString(),
            new Formats.ContainerConfig { Cmd = ["/bin/sh"], Env = ["PATH=/bin"] }, new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero));
    }
}
