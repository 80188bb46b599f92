using Oar.Tests.Fixtures;
using Skiff.Runtime.Spec;

namespace Oar.Tests;

/// <summary>linux.seccomp through oar for real: the filter is compiled by oar and installed before exec.</summary>
public sealed class SeccompTests : IDisposable
{
    readonly Runtime oar = Runtime.Oar();
    public void Dispose() => oar.Dispose();

    const string Profile = "/usr/share/containers/seccomp.json";

    [Fact]
    public void DefaultProfileLetsOrdinaryProgramsRunAndRefusesWhatDockerRefuses()
    {
        Assert.True(File.Exists(Profile), $"{Profile} is missing: apt-get install golang-github-containers-common");
        using var b = Bundle.Shell("echo hi; ls / > /dev/null && echo ls-ok; unshare -U true 2>&1 && echo unshared || echo unshare-refused; mount -t tmpfs x /tmp 2>&1 || echo mount-refused");
        var profile = SpecLoader.Read(File.ReadAllBytes(Profile), Profile, e => SpecReader.Seccomp(e, "seccomp"));
        // Debian's profile is podman's, which allows unshare; docker's denies it unless CAP_SYS_ADMIN: add that rule.
        profile.Syscalls!.Insert(0, new SeccompSyscall { Names = ["unshare"], Action = "SCMP_ACT_ERRNO", ErrnoRet = 1 });
        b.Spec.Linux!.Seccomp = profile;
        var r = oar.Run(b);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.StartsWith("hi\nls-ok\n", r.Stdout);
        Assert.Contains("unshare-refused", r.Stdout);
        Assert.DoesNotContain("unshared", r.Stdout);
        Assert.Contains("mount-refused", r.Stdout);
    }

    [Fact]
    public void ErrnoRetAndArgumentConditionsApply()
    {
        using var b = Bundle.Shell("mkdir /tmp/x 2>&1; echo rc=$?; chmod 0700 /tmp 2>&1; echo chmod700=$?; chmod 0755 /tmp; echo chmod755=$?");
        b.Spec.Root!.Readonly = false;
        b.Spec.Mounts!.Add(new Mount { Destination = "/tmp", Type = "tmpfs", Source = "tmpfs" });
        b.Spec.Linux!.Seccomp = new Skiff.Runtime.Spec.Seccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Architectures = ["SCMP_ARCH_X86_64"],
            Syscalls =
            [
                new SeccompSyscall { Names = ["mkdir", "mkdirat"], Action = "SCMP_ACT_ERRNO", ErrnoRet = 18 /* EXDEV */ },
                new SeccompSyscall { Names = ["chmod", "fchmodat"], Action = "SCMP_ACT_ERRNO", ErrnoRet = 1,
                    Args = [new SeccompArg { Index = 1, Value = 0x1c0, Op = "SCMP_CMP_EQ" }] },
            ],
        };
        var r = oar.Run(b);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("link", r.Stdout.ToLowerInvariant()); // EXDEV: "Invalid cross-device link"
        Assert.Contains("rc=1", r.Stdout);
        Assert.Contains("chmod700=1", r.Stdout);
        Assert.Contains("chmod755=0", r.Stdout);
    }

    [Fact]
    public void ExecGetsTheContainersFilterToo()
    {
        using var b = Bundle.Busybox("sleep", "60");
        b.Spec.Linux!.Seccomp = new Skiff.Runtime.Spec.Seccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Syscalls = [new SeccompSyscall { Names = ["getpriority"], Action = "SCMP_ACT_ERRNO", ErrnoRet = 13 }],
        };
        var id = oar.NewId();
        Assert.Equal(0, oar.Run(b, id, "--detach").ExitCode);
        var r = oar.Exec("exec", id, "grep", "Seccomp:", "/proc/self/status");
        Assert.Equal("Seccomp:\t2\n", r.Stdout);
    }

    [Fact]
    public void UnknownActionIsRejectedBeforeAnythingIsMade()
    {
        using var b = Bundle.Shell("true");
        b.Spec.Linux!.Seccomp = new Skiff.Runtime.Spec.Seccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Syscalls = [new SeccompSyscall { Names = ["read"], Action = "SCMP_ACT_FOO" }],
        };
        var id = oar.NewId();
        var r = oar.Run(b, id);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("linux.seccomp.syscalls[0].action", r.Stderr);
        Assert.Equal("absent", oar.StatusOf(id));
        Assert.Empty(Leftovers.CgroupDirs(id));
    }
}
