using System.Runtime.InteropServices;
using Oar.Tests.Fixtures;
using Skiff.Linux;
using Skiff.Runtime.Spec;

namespace Oar.Tests;

/// <summary>The attacks of runc's history, attempted for real: each must fail.</summary>
public sealed class SecurityTests : IDisposable
{
    readonly Runtime oar = Runtime.Oar();
    public void Dispose() => oar.Dispose();

    /// <summary>CVE-2019-5736: the container reaches the runtime through /proc/&lt;init&gt;/exe and rewrites it.
    /// Here the attacker holds an O_PATH handle on the init's exe (as the exploit did) and, once the init has
    /// exec'd, reopens it for writing. The init runs from a read-only, detached bind mount of oar (or, without the
    /// new mount API, a sealed memfd copy): the reopen must fail and the host binary must be byte-for-byte unchanged.</summary>
    [Fact]
    public void InitExeCannotBeReopenedForWriting()
    {
        using var b = Bundle.Shell("sleep 30");
        var id = oar.NewId();
        var hostBefore = File.ReadAllBytes(OarBinary.Path);
        Assert.Equal(0, oar.Create(b, id).ExitCode);
        int pid = oar.PidOf(id);
        var exe = $"/proc/{pid}/exe";
        using var handle = Files.Open(exe, Files.O_PATH);
        bool memfd = (new FileInfo(exe).LinkTarget ?? "").StartsWith("/memfd:oar", StringComparison.Ordinal);
        const ulong ST_RDONLY = 1;
        Assert.True(memfd || (StatVfs.MountFlags(handle.Value) & ST_RDONLY) != 0,
            $"the init runs from {new FileInfo(exe).LinkTarget}, neither a sealed copy nor a read-only mount");
        var direct = Files.TryOpen($"/proc/self/fd/{handle.Value}", Files.O_WRONLY, out int e0);
        using (direct) Assert.False(direct.IsValid, "the created init's executable could be opened for writing");
        Assert.Contains(e0, new[] { Errno.EROFS, Errno.EPERM, Errno.ETXTBSY, Errno.EACCES });
        Assert.Equal(0, oar.Exec("start", id).ExitCode);
        Thread.Sleep(100);
        var w = Files.TryOpen($"/proc/self/fd/{handle.Value}", Files.O_WRONLY | Files.O_TRUNC, out int e);
        using (w) Assert.False(w.IsValid, "the init's executable could be opened for writing after it exec'd");
        Assert.Contains(e, new[] { Errno.EROFS, Errno.EPERM, Errno.ETXTBSY, Errno.EACCES });
        Assert.Equal(hostBefore, File.ReadAllBytes(OarBinary.Path));
    }

    /// <summary>CVE-2024-21626: a leaked host fd plus cwd=/proc/self/fd/N gave the container a host cwd.</summary>
    [Fact]
    public void CwdThroughALeakedFdIsRefused()
    {
        for (int n = 3; n <= 8; n++)
        {
            using var b = Bundle.Shell("pwd; ls /proc/self/fd");
            b.Spec.Process!.Cwd = $"/proc/self/fd/{n}";
            var r = oar.Run(b);
            Assert.NotEqual(0, r.ExitCode);
            Assert.DoesNotContain("sys/fs/cgroup", r.Stdout);
        }
    }

    [Fact]
    public void NoHostFdReachesTheContainer()
    {
        using var b = Bundle.Shell("for f in /proc/self/fd/*; do readlink $f; done; true");
        var r = oar.Run(b);
        Assert.True(r.ExitCode == 0, r.ToString());
        // Only stdio (pipes from the test) and the shell's own directory handle.
        foreach (var line in r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            Assert.True(line.StartsWith("pipe:") || line.StartsWith("/dev/null") || line.StartsWith("/proc/"), $"unexpected fd target {line}\n{r}");
    }

    /// <summary>CVE-2021-30465: a symlink in the rootfs points a mount destination outside the root.</summary>
    [Fact]
    public void MountThroughASymlinkStaysInsideTheRoot()
    {
        var rootfs = Directory.CreateTempSubdirectory("oar-test-evilroot-").FullName;
        var victim = Directory.CreateTempSubdirectory("oar-test-victim-").FullName;
        try
        {
            CopyBusybox(rootfs);
            File.CreateSymbolicLink(Path.Combine(rootfs, "evil"), victim);            // absolute link to a host dir
            File.CreateSymbolicLink(Path.Combine(rootfs, "evil2"), "../../../../../" + victim.TrimStart('/')); // relative climb
            using var b = new Bundle(rootfs, "/bin/sh", "-c", "grep -c oar-escape /proc/self/mountinfo");
            b.Spec.Root!.Readonly = false;
            b.Spec.Mounts!.Add(new Mount { Destination = "/evil/x", Type = "tmpfs", Source = "oar-escape", Options = ["size=1k"] });
            b.Spec.Mounts.Add(new Mount { Destination = "/evil2/y", Type = "tmpfs", Source = "oar-escape", Options = ["size=1k"] });
            var r = oar.Run(b);
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.Equal("2\n", r.Stdout);
            Assert.Empty(Directory.GetFileSystemEntries(victim));
            Assert.Empty(Leftovers.Mounts(victim));
            Assert.True(Directory.Exists(Path.Combine(rootfs, victim.TrimStart('/'), "x")), "the mount point was not created inside the root");
        }
        finally
        {
            Directory.Delete(rootfs, true);
            Directory.Delete(victim, true);
        }
    }

    /// <summary>A /dev symlink planted in the image must not redirect device creation to the host.</summary>
    [Fact]
    public void DevSymlinkInImageDoesNotRedirectDevices()
    {
        var rootfs = Directory.CreateTempSubdirectory("oar-test-devroot-").FullName;
        var victim = Directory.CreateTempSubdirectory("oar-test-devvictim-").FullName;
        try
        {
            CopyBusybox(rootfs);
            Directory.Delete(Path.Combine(rootfs, "dev"));
            File.CreateSymbolicLink(Path.Combine(rootfs, "dev"), victim);
            using var b = new Bundle(rootfs, "/bin/sh", "-c", "ls /dev/null");
            b.Spec.Root!.Readonly = false;
            b.Spec.Mounts!.RemoveAll(m => m.Destination!.StartsWith("/dev"));
            var r = oar.Run(b);
            Assert.Empty(Directory.GetFileSystemEntries(victim));
        }
        finally
        {
            Directory.Delete(rootfs, true);
            Directory.Delete(victim, true);
        }
    }

    /// <summary>CVE-2019-16884 family: a non-procfs mount over /proc, or over files in it, is refused.</summary>
    [Fact]
    public void MountOverProcIsRefused()
    {
        using var b = Bundle.Shell("true");
        b.Spec.Mounts!.Add(new Mount { Destination = "/proc", Type = "tmpfs", Source = "tmpfs" });
        var r = oar.Run(b);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("/proc", r.Stderr);

        using var b2 = Bundle.Shell("true");
        b2.Spec.Mounts!.Add(new Mount { Destination = "/proc/sys/kernel/core_pattern", Type = "bind", Source = "/etc/hostname", Options = ["bind"] });
        var r2 = oar.Run(b2);
        Assert.Equal(1, r2.ExitCode);
        Assert.Contains("not allowed", r2.Stderr);
    }

    [Fact]
    public void DefaultCapabilitiesCannotMountOrRenameTheHost()
    {
        // With the default capability set (no CAP_SYS_ADMIN), the container cannot mount or change the host.
        using var b = Bundle.Shell("mount -t tmpfs none /tmp 2>&1 && echo mounted || echo refused; hostname evil 2>&1 || echo refused");
        var r = oar.Run(b);
        Assert.Contains("refused\n", r.Stdout);
        Assert.DoesNotContain("mounted", r.Stdout);
        Assert.NotEqual("evil", Environment.MachineName);
    }

    static void CopyBusybox(string rootfs)
    {
        foreach (var d in new[] { "bin", "proc", "sys", "dev", "tmp", "etc" }) Directory.CreateDirectory(Path.Combine(rootfs, d));
        File.Copy(Path.Combine(Rootfs.Busybox, "bin", "busybox"), Path.Combine(rootfs, "bin", "busybox"));
        foreach (var a in new[] { "sh", "grep", "ls", "cat", "echo" }) File.CreateSymbolicLink(Path.Combine(rootfs, "bin", a), "busybox");
    }
}
