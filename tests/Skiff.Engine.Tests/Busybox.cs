namespace Skiff.Engine.Tests;

/// <summary>A busybox rootfs from Debian's busybox-static, with users root, alice (1000, also in group users) and nobody.</summary>
public static class Busybox
{
    static readonly string[] Applets = ["sh", "ls", "cat", "echo", "true", "false", "sleep", "env", "id", "grep", "touch",
        "hostname", "mkdir", "pwd", "head", "wc", "test", "ps", "mount", "tr", "stty", "tty"];

    public static string Rootfs(string dir)
    {
        foreach (var d in new[] { "bin", "etc", "tmp", "home/alice" }) Directory.CreateDirectory(Path.Combine(dir, d));
        File.Copy("/bin/busybox", Path.Combine(dir, "bin", "busybox"), overwrite: true);
        foreach (var a in Applets) File.CreateSymbolicLink(Path.Combine(dir, "bin", a), "busybox");
        File.WriteAllText(Path.Combine(dir, "etc", "passwd"),
            "root:x:0:0:root:/root:/bin/sh\nalice:x:1000:1000:Alice:/home/alice:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n");
        File.WriteAllText(Path.Combine(dir, "etc", "group"), "root:x:0:\nusers:x:100:alice\nalice:x:1000:\nnogroup:x:65534:\n");
        File.WriteAllText(Path.Combine(dir, "etc", "data-marker"), "from the image\n");
        Directory.CreateDirectory(Path.Combine(dir, "data"));
        File.WriteAllText(Path.Combine(dir, "data", "seed"), "seeded\n");
        File.WriteAllText(Path.Combine(dir, "etc", "not-executable"), "#!/bin/sh\necho no\n");
        return dir;
    }
}
