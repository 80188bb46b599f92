using System.Diagnostics;

namespace Skiff.Engine.Tests.Shims;

/// <summary>A read-only busybox root filesystem from Debian's busybox-static, shared by the shim tests' bundles.</summary>
public static class BusyboxRootfs
{
    static readonly Lazy<string> path = new(Make);
    public static string Path => path.Value;

    static string Make()
    {
        if (!File.Exists("/bin/busybox")) throw new InvalidOperationException("/bin/busybox is missing: apt-get install busybox-static");
        // Test hosts are not always let run their exit handlers: remove rootfs copies of test processes that are gone.
        foreach (var stale in Directory.EnumerateDirectories(System.IO.Path.GetTempPath(), "shim-test-busybox-*"))
            if (int.TryParse(System.IO.Path.GetFileName(stale)["shim-test-busybox-".Length..], out int pid) && !Directory.Exists($"/proc/{pid}"))
                try { Directory.Delete(stale, true); } catch (IOException) { }
        var root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"shim-test-busybox-{Environment.ProcessId}");
        var bin = System.IO.Path.Combine(root, "bin");
        Directory.CreateDirectory(bin);
        File.Copy("/bin/busybox", System.IO.Path.Combine(bin, "busybox"), overwrite: true);
        var psi = new ProcessStartInfo("/bin/busybox", ["--list"]) { RedirectStandardOutput = true };
        using (var p = Process.Start(psi)!)
        {
            foreach (var applet in p.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var link = System.IO.Path.Combine(bin, applet);
                if (applet != "busybox" && !File.Exists(link)) File.CreateSymbolicLink(link, "busybox");
            }
            p.WaitForExit();
        }
        foreach (var d in new[] { "proc", "sys", "dev", "etc", "tmp", "root" }) Directory.CreateDirectory(System.IO.Path.Combine(root, d));
        File.WriteAllText(System.IO.Path.Combine(root, "etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        File.WriteAllText(System.IO.Path.Combine(root, "etc/group"), "root:x:0:\n");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(root, true); } catch (IOException) { } };
        return root;
    }
}
