using Skiff.Runtime.Seccomp;
using Xunit;
using static Skiff.Runtime.Tests.Seccomp.Profiles;

namespace Skiff.Runtime.Tests.Seccomp;

/// <summary>Compiled filters loaded into the real kernel (via SeccompProbe) running busybox applets.</summary>
public class KernelTests
{
    static Probe.Result Run(Spec.Seccomp spec, params string[] command) => Probe.Run(SeccompCompiler.Compile(spec), command);

    [Fact]
    public void WithoutARuleBusyboxWorks()
    {
        var r = Run(Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_ERRNO", "unshare")), Probe.Busybox, "echo", "ok");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("ok\n", r.Stdout);
    }

    [Fact]
    public void DeniedUnshareFailsWithEperm()
    {
        var spec = Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_ERRNO", "unshare"));
        var r = Run(spec, Probe.Busybox, "unshare", "-U", Probe.Busybox, "true");
        Assert.True(r.ExitCode != 0, r.ToString());
        Assert.Contains("Operation not permitted", r.Stderr);
        // Unfiltered, the same command works (so the filter made the difference).
        var free = Run(Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_ERRNO", "kexec_load")), Probe.Busybox, "unshare", "-U", Probe.Busybox, "true");
        Assert.True(free.ExitCode == 0, free.ToString());
    }

    [Fact]
    public void ErrnoRetIsTheErrnoTheProgramSees()
    {
        var spec = Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_ERRNO", ["mkdir", "mkdirat"], errnoRet: 122 /* EDQUOT */));
        var dir = Path.Combine(Path.GetTempPath(), $"skiff-seccomp-{Guid.NewGuid():N}");
        var r = Run(spec, Probe.Busybox, "mkdir", dir);
        Assert.True(r.ExitCode != 0, r.ToString());
        Assert.Contains("Disk quota exceeded", r.Stderr);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void ArgumentConditionDecidesPerCall()
    {
        // personality(PER_LINUX32 = 8) denied, personality(PER_LINUX = 0) allowed.
        var spec = Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_ERRNO", "personality", Arg(0, "SCMP_CMP_EQ", 8)));
        var denied = Run(spec, Probe.Busybox, "linux32", Probe.Busybox, "uname", "-m");
        Assert.True(denied.ExitCode != 0, denied.ToString());
        Assert.Contains("Operation not permitted", denied.Stderr);
        var allowed = Run(spec, Probe.Busybox, "linux64", Probe.Busybox, "uname", "-m");
        Assert.True(allowed.ExitCode == 0, allowed.ToString());
        Assert.Equal("x86_64\n", allowed.Stdout);
    }

    [Fact]
    public void TheHighHalfOfA64BitArgumentCounts()
    {
        // 0x1_0000_0008 differs from 8 only in the high word: linux32's personality(8) must pass.
        var spec = Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_ERRNO", "personality", Arg(0, "SCMP_CMP_EQ", 0x1_0000_0008)));
        var r = Run(spec, Probe.Busybox, "linux32", Probe.Busybox, "uname", "-m");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("i686\n", r.Stdout);
        // GE 0x1_0000_0000 is false for 8 too; LT is true, so the second profile denies.
        var lt = Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_ERRNO", "personality", Arg(0, "SCMP_CMP_LT", 0x1_0000_0000), Arg(0, "SCMP_CMP_GT", 7)));
        var denied = Run(lt, Probe.Busybox, "linux32", Probe.Busybox, "uname", "-m");
        Assert.True(denied.ExitCode != 0, denied.ToString());
    }

    [Fact]
    public void SocketDeniedForInetButNotForOtherFamilies()
    {
        var spec = Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_ERRNO", ["socket"], 97 /* EAFNOSUPPORT */, Arg(0, "SCMP_CMP_EQ", 2 /* AF_INET */)));
        var inet = Run(spec, Probe.Busybox, "ifconfig", "lo");
        Assert.True(inet.ExitCode != 0, inet.ToString());
        Assert.Contains("Address family not supported", inet.Stderr);
        // Other families pass: ip talks to the kernel over an AF_NETLINK socket.
        var netlink = Run(spec, Probe.Busybox, "ip", "link", "show", "lo");
        Assert.True(netlink.ExitCode == 0, netlink.ToString());
        Assert.Contains("lo", netlink.Stdout);
    }

    [Fact]
    public void TheKernelAcceptsALargeProgramWithFarJumps()
    {
        // 200 x86_64 syscalls with three 64-bit conditions that all pass through to the default ALLOW, and one
        // rule that bites: about 3000 instructions, jumps farther than 255 go through trampolines.
        var rules = SyscallTable.Entries(SyscallAbi.X86_64).Where(e => e.Name is not ("mkdir" or "mkdirat")).Take(200).Select(e =>
            Rule("SCMP_ACT_ERRNO", [e.Name], 99, Arg(0, "SCMP_CMP_EQ", 0xdead_0000_0000_beef), Arg(1, "SCMP_CMP_GT", 5), Arg(2, "SCMP_CMP_MASKED_EQ", 0xf0, 0x10)))
            .Append(Rule("SCMP_ACT_ERRNO", ["mkdir", "mkdirat"], 122, Arg(1, "SCMP_CMP_MASKED_EQ", 0, 0)))
            .ToArray();
        var program = SeccompCompiler.Compile(Profile("SCMP_ACT_ALLOW", rules));
        Assert.InRange(program.Length, 2000, 4096);
        Assert.Contains(Enumerable.Range(0, program.Length), i => program[i].Code == BpfInstruction.JumpAlways);
        var ok = Probe.Run(program, Probe.Busybox, "echo", "ok");
        Assert.True(ok.ExitCode == 0 && ok.Stdout == "ok\n", ok.ToString());
        var denied = Probe.Run(program, Probe.Busybox, "mkdir", Path.Combine(Path.GetTempPath(), $"skiff-{Guid.NewGuid():N}"));
        Assert.Contains("Disk quota exceeded", denied.Stderr);
    }

    [Theory]
    [InlineData("SCMP_ACT_KILL_PROCESS")]
    [InlineData("SCMP_ACT_TRAP")] // SIGSYS, whose default disposition ends the process
    public void KillProcessAndTrapEndTheProcessWithSigsys(string action)
    {
        var r = Run(Profile("SCMP_ACT_ALLOW", Rule(action, "uname")), Probe.Busybox, "uname", "-m");
        Assert.True(r.ExitCode == 128 + 31, r.ToString()); // SIGSYS; Process reports a signal as 128 + n
    }

    [Fact]
    public void EveryFlagLoads()
    {
        var spec = Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_LOG", "uname"), Rule("SCMP_ACT_ERRNO", "unshare"));
        spec.Flags = ["SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"];
        var r = Run(spec, Probe.Busybox, "uname", "-m");
        Assert.True(r.ExitCode == 0 && r.Stdout == "x86_64\n", r.ToString());
    }
}
