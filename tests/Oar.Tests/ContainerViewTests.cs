using Oar.Tests.Fixtures;
using Skiff.Runtime.Spec;

namespace Oar.Tests;

/// <summary>Runs real containers and checks from inside that they got what config.json asked for.</summary>
public sealed class ContainerViewTests : IDisposable
{
    readonly Runtime oar = Runtime.Oar();
    public void Dispose() => oar.Dispose();

    Result Run(Bundle b) { using (b) return oar.Run(b); }

    [Fact]
    public void ProcessIsPidOneAndPrintsToInheritedStdout()
    {
        var r = Run(Bundle.Shell("echo pid=$$"));
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("pid=1\n", r.Stdout);
    }

    [Fact]
    public void HostnameAndDomainnameAreSet()
    {
        var b = Bundle.Shell("hostname; cat /proc/sys/kernel/domainname");
        b.Spec.Hostname = "box-one";
        b.Spec.Domainname = "example.test";
        var r = Run(b);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("box-one\nexample.test\n", r.Stdout);
    }

    [Fact]
    public void MountsAppearWithTheirOptions()
    {
        var src = Directory.CreateTempSubdirectory("oar-test-bind-").FullName;
        File.WriteAllText(Path.Combine(src, "hello.txt"), "from the host");
        try
        {
            var b = Bundle.Shell("cat /mnt/data/hello.txt; echo; grep -E ' /mnt/(data|scratch) ' /proc/self/mountinfo; touch /mnt/data/x 2>&1 || echo ro-refused");
            b.Spec.Mounts!.Add(new Mount { Destination = "/mnt/data", Type = "bind", Source = src, Options = ["rbind", "ro", "nosuid", "nodev"] });
            b.Spec.Mounts.Add(new Mount { Destination = "/mnt/scratch", Type = "tmpfs", Source = "tmpfs", Options = ["size=1m", "mode=700", "noexec"] });
            var r = Run(b);
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.StartsWith("from the host\n", r.Stdout);
            var data = r.Stdout.Split('\n').Single(l => l.Contains(" /mnt/data "));
            Assert.Matches(@" /mnt/data ro,nosuid,nodev", data);
            var scratch = r.Stdout.Split('\n').Single(l => l.Contains(" /mnt/scratch "));
            Assert.Contains("noexec", scratch);
            Assert.Contains("- tmpfs tmpfs", scratch);
            Assert.Contains("mode=700", scratch);
            Assert.Contains("ro-refused", r.Stdout);
        }
        finally { Directory.Delete(src, true); }
    }

    [Fact]
    public void CapabilitiesAreExactlyTheConfiguredSets()
    {
        var b = Bundle.Shell("grep Cap /proc/self/status");
        var caps = b.Spec.Process!.Capabilities!;
        caps.Bounding = ["CAP_CHOWN", "CAP_KILL", "CAP_NET_RAW"];
        caps.Effective = ["CAP_CHOWN", "CAP_KILL"];
        caps.Permitted = ["CAP_CHOWN", "CAP_KILL"];
        caps.Inheritable = ["CAP_KILL"];
        caps.Ambient = ["CAP_KILL"];
        var r = Run(b);
        Assert.True(r.ExitCode == 0, r.ToString());
        // CAP_CHOWN=0, CAP_KILL=5, CAP_NET_RAW=13. Ambient caps appear in the new program's permitted/effective.
        Assert.Contains("CapInh:\t0000000000000020", r.Stdout);
        Assert.Contains("CapPrm:\t0000000000000021", r.Stdout);
        Assert.Contains("CapEff:\t0000000000000021", r.Stdout);
        Assert.Contains("CapBnd:\t0000000000002021", r.Stdout);
        Assert.Contains("CapAmb:\t0000000000000020", r.Stdout);
    }

    [Fact]
    public void UserGroupsAndUmaskAreApplied()
    {
        var b = Bundle.Shell("id; umask; echo $HOME");
        b.Spec.Process!.User = new User { Uid = 1000, Gid = 1000, AdditionalGids = [10, 65534], Umask = 0x3f /* 077 */ };
        var r = Run(b);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("uid=1000(user) gid=1000(user) groups=10,65534(nogroup)", r.Stdout);
        Assert.Contains("0077", r.Stdout);
        Assert.EndsWith("/home/user\n", r.Stdout);
    }

    [Fact]
    public void NonRootUserHasNoCapabilitiesWhenNoneAreGiven()
    {
        var b = Bundle.Shell("grep CapEff /proc/self/status");
        b.Spec.Process!.User = new User { Uid = 1000, Gid = 1000 };
        b.Spec.Process.Capabilities = null;
        var r = Run(b);
        Assert.Contains("CapEff:\t0000000000000000", r.Stdout);
    }

    [Fact]
    public void RlimitsAreSet()
    {
        var b = Bundle.Shell("ulimit -n; ulimit -Hn; grep 'Max core' /proc/self/limits");
        b.Spec.Process!.Rlimits = [new Rlimit { Type = "RLIMIT_NOFILE", Soft = 512, Hard = 2048 }, new Rlimit { Type = "RLIMIT_CORE", Soft = 0, Hard = 0 }];
        var r = Run(b);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.StartsWith("512\n2048\n", r.Stdout);
        Assert.Matches(@"Max core file size\s+0\s+0", r.Stdout);
    }

    [Fact]
    public void RlimitAboveWhatOarHoldsIsAClearError()
    {
        var (_, hard) = Skiff.Linux.Rlimits.Get(7);
        var b = Bundle.Shell("true");
        b.Spec.Process!.Rlimits = [new Rlimit { Type = "RLIMIT_NOFILE", Soft = hard + 1000, Hard = hard + 1000 }];
        var hasSysResource = Skiff.Linux.Capabilities.InBounding(24);
        var r = Run(b);
        if (hasSysResource) { Assert.Equal(0, r.ExitCode); return; }
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("RLIMIT_NOFILE", r.Stderr);
        Assert.Contains("CAP_SYS_RESOURCE", r.Stderr);
    }

    [Fact]
    public void MaskedPathsAreUnreadableAndReadonlyPathsUnwritable()
    {
        // Masked files must exist on the host to be worth hiding: pick those that do.
        var masked = new[] { "/proc/timer_list", "/proc/keys", "/proc/sched_debug", "/proc/kcore" }.Where(File.Exists).ToList();
        Assert.NotEmpty(masked);
        Assert.NotEmpty(Directory.GetFileSystemEntries("/sys/firmware"));
        var b = Bundle.Shell($"for f in {string.Join(' ', masked)}; do wc -c < $f; done; ls /sys/firmware | wc -l; echo 1 > /proc/sys/kernel/domainname && echo wrote || echo refused");
        var r = Run(b);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(string.Concat(masked.Select(_ => "0\n")) + "0\nrefused\n", r.Stdout);
    }

    [Fact]
    public void ReadonlyRootRefusesWritesButTmpfsAccepts()
    {
        var b = Bundle.Shell("touch /newfile 2>/dev/null && echo root-writable || echo root-ro; touch /dev/shm/x && echo shm-ok");
        var r = Run(b);
        Assert.Equal("root-ro\nshm-ok\n", r.Stdout);
    }

    [Fact]
    public void DefaultDevicesExistWithTheRightNumbers()
    {
        var r = Run(Bundle.Shell("for d in null zero full random urandom tty; do stat -c '%n %t:%T %a' /dev/$d; done; readlink /dev/fd; readlink /dev/ptmx; echo x > /dev/null && head -c 3 /dev/zero | wc -c"));
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("/dev/null 1:3 666", r.Stdout);
        Assert.Contains("/dev/zero 1:5 666", r.Stdout);
        Assert.Contains("/dev/urandom 1:9 666", r.Stdout);
        Assert.Contains("/dev/tty 5:0 666", r.Stdout);
        Assert.Contains("/proc/self/fd\npts/ptmx\n3\n", r.Stdout);
    }

    [Fact]
    public void ExtraDeviceFromLinuxDevices()
    {
        var b = Bundle.Shell("stat -c '%n %t:%T %a %u:%g' /dev/fuse-like");
        b.Spec.Linux!.Devices = [new Device { Type = "c", Path = "/dev/fuse-like", Major = 1, Minor = 3, FileMode = 0x1a0 /* 640 */, Uid = 1000, Gid = 1000 }];
        var r = Run(b);
        Assert.Equal("/dev/fuse-like 1:3 640 1000:1000\n", r.Stdout);
    }

    [Fact]
    public void EnvironmentAndWorkingDirectory()
    {
        var b = Bundle.Shell("pwd; echo $GREETING");
        b.Spec.Process!.Env!.Add("GREETING=hello there");
        b.Spec.Process.Cwd = "/tmp";
        var r = Run(b);
        Assert.Equal("/tmp\nhello there\n", r.Stdout);
    }

    [Fact]
    public void SysctlIsWrittenInsideTheContainer()
    {
        var b = Bundle.Shell("cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shmmni");
        b.Spec.Linux!.Sysctl = new() { ["net.ipv4.ip_forward"] = "1", ["kernel.shmmni"] = "1234" };
        b.Spec.Linux.ReadonlyPaths!.Remove("/proc/sys");
        var r = Run(b);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("1\n1234\n", r.Stdout);
        Assert.NotEqual("1234", File.ReadAllText("/proc/sys/kernel/shmmni").Trim());
    }

    [Fact]
    public void UserNamespaceMapsIds()
    {
        var b = Bundle.Shell("cat /proc/self/uid_map /proc/self/gid_map; id -u");
        b.Spec.Linux!.Namespaces!.Add(new NamespaceSpec { Type = "user" });
        b.Spec.Linux.UidMappings = [new IdMapping { ContainerId = 0, HostId = 200000, Size = 65536 }];
        b.Spec.Linux.GidMappings = [new IdMapping { ContainerId = 0, HostId = 200000, Size = 65536 }];
        var r = Run(b);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Matches(@"^\s*0\s+200000\s+65536\n\s*0\s+200000\s+65536\n0\n$", r.Stdout);
    }

    [Fact]
    public void JoinsAnExistingNetworkNamespaceByPath()
    {
        var name = "oar-test-" + Guid.NewGuid().ToString("N")[..8];
        Sh($"ip netns add {name}");
        try
        {
            var expected = Sh2($"stat -L -c %i /var/run/netns/{name}").Trim();
            var b = Bundle.Shell("readlink /proc/self/ns/net");
            b.Spec.Linux!.Namespaces!.RemoveAll(n => n.Type == "network");
            b.Spec.Linux.Namespaces.Add(new NamespaceSpec { Type = "network", Path = $"/var/run/netns/{name}" });
            var r = Run(b);
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.Equal($"net:[{expected}]\n", r.Stdout);
        }
        finally { Sh($"ip netns delete {name}"); }
    }

    [Fact]
    public void MemoryLimitIsEnforcedByTheOomKiller()
    {
        var b = Bundle.Shell("cat /sys/fs/cgroup/memory/memory.limit_in_bytes; dd if=/dev/zero of=/dev/null bs=100M count=1 2>/dev/null; echo dd=$?");
        b.Spec.Linux!.Resources = new Resources { Memory = new MemoryResources { Limit = 32 * 1024 * 1024 } };
        var r = Run(b);
        Assert.StartsWith("33554432\n", r.Stdout);
        Assert.Contains("dd=137", r.Stdout); // dd's 100 MB buffer cannot fit in 32 MB: the OOM killer ends it
    }

    [Fact]
    public void PidsLimitIsEnforced()
    {
        var b = Bundle.Shell("cat /sys/fs/cgroup/pids/pids.max; for i in 1 2 3 4 5 6 7 8 9 10; do sleep 5 & done 2>&1 | grep -c -i 'resource temporarily unavailable\\|fork'");
        b.Spec.Linux!.Resources = new Resources { Pids = new PidsResources { Limit = 5 } };
        var r = Run(b);
        Assert.StartsWith("5\n", r.Stdout);
        Assert.NotEqual("5\n0\n", r.Stdout);
    }

    [Fact]
    public void ExitCodeIsTheContainers()
    {
        Assert.Equal(3, Run(Bundle.Shell("exit 3")).ExitCode);
        Assert.Equal(137, Run(Bundle.Shell("sh -c 'kill -9 $$'; exit $?")).ExitCode);
    }

    [Fact]
    public void MissingExecutableFailsCreateWithClearError()
    {
        var r = Run(Bundle.Busybox("/no/such/program"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("/no/such/program", r.Stderr);
        Assert.Contains("no such file", r.Stderr);
    }

    [Fact]
    public void DebianRootfsRunsBashAndApt()
    {
        var rootfs = Rootfs.Debian;
        if (rootfs is null) { Assert.Fail("Debian rootfs unavailable: " + Rootfs.DebianUnavailable); return; }
        using var b = new Bundle(rootfs, "/bin/bash", "-c", "echo $BASH_VERSION | cut -d. -f1; apt-get --version | head -1 | cut -d' ' -f1; ls /lib/x86_64-linux-gnu/libc.so.6");
        var r = oar.Run(b);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("5\napt\n/lib/x86_64-linux-gnu/libc.so.6\n", r.Stdout);
    }

    static string Sh2(string script)
    {
        var r = Runtime.RunProcess(new System.Diagnostics.ProcessStartInfo("/bin/sh", ["-c", script]) { RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true }, null, TimeSpan.FromSeconds(30));
        if (r.ExitCode != 0) throw new InvalidOperationException(script + ": " + r);
        return r.Stdout;
    }

    static void Sh(string script) => Sh2(script);
}
