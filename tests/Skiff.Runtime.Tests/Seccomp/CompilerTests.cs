using Skiff.Runtime.Seccomp;
using Skiff.Runtime.Spec;
using Xunit;
using static Skiff.Runtime.Tests.Seccomp.Profiles;

namespace Skiff.Runtime.Tests.Seccomp;

public class CompilerTests
{
    static SeccompProgram Compile(Spec.Seccomp spec)
    {
        var program = SeccompCompiler.Compile(spec);
        BpfInterpreter.Verify(program);
        return program;
    }

    static uint Run(SeccompProgram p, SyscallInput input) => BpfInterpreter.Run(p, input);

    [Fact]
    public void DenyListReturnsEpermForTheListedSyscallAndAllowsTheRest()
    {
        var p = Compile(Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_ERRNO", "unshare")));
        Assert.Equal(Errno(EPERM), Run(p, SyscallInput.X86_64(Nr("unshare"))));
        Assert.Equal(Allow, Run(p, SyscallInput.X86_64(Nr("read"))));
        Assert.Equal(Allow, Run(p, SyscallInput.X86_64(Nr("unshare") + 1)));
        Assert.Equal(Allow, Run(p, SyscallInput.X86_64(Nr("unshare") - 1)));
        Assert.Equal(Allow, Run(p, SyscallInput.X86_64(100000)));
    }

    [Fact]
    public void ErrnoRetIsReturnedAndDefaultErrnoRetApplies()
    {
        var spec = Profile("SCMP_ACT_ERRNO", Rule("SCMP_ACT_ERRNO", ["mkdir"], errnoRet: 42), Rule("SCMP_ACT_ALLOW", "read"));
        spec.DefaultErrnoRet = 13;
        var p = Compile(spec);
        Assert.Equal(Errno(42), Run(p, SyscallInput.X86_64(Nr("mkdir"))));
        Assert.Equal(Allow, Run(p, SyscallInput.X86_64(Nr("read"))));
        Assert.Equal(Errno(13), Run(p, SyscallInput.X86_64(Nr("write"))));
    }

    [Theory]
    [InlineData("SCMP_ACT_KILL", null, 0x0000_0000u)]
    [InlineData("SCMP_ACT_KILL_THREAD", null, 0x0000_0000u)]
    [InlineData("SCMP_ACT_KILL_PROCESS", null, 0x8000_0000u)]
    [InlineData("SCMP_ACT_TRAP", null, 0x0003_0000u)]
    [InlineData("SCMP_ACT_ERRNO", null, 0x0005_0001u)]
    [InlineData("SCMP_ACT_ERRNO", 95u, 0x0005_005fu)]
    [InlineData("SCMP_ACT_TRACE", null, 0x7ff0_0001u)]
    [InlineData("SCMP_ACT_TRACE", 7u, 0x7ff0_0007u)]
    [InlineData("SCMP_ACT_LOG", null, 0x7ffc_0000u)]
    [InlineData("SCMP_ACT_NOTIFY", null, 0x7fc0_0000u)]
    public void EveryActionHasTheKernelsReturnValue(string action, uint? errnoRet, uint expected)
    {
        var spec = Profile("SCMP_ACT_ALLOW", Rule(action, ["getpid"], errnoRet));
        spec.ListenerPath = "/run/agent.sock";
        var p = Compile(spec);
        Assert.Equal(expected, Run(p, SyscallInput.X86_64(Nr("getpid"))));
        Assert.Equal(action == "SCMP_ACT_NOTIFY", p.HasNotify);
    }

    [Fact]
    public void DefaultActionCanBeAnyNonNotifyAction()
    {
        foreach (var action in SeccompAction.Names.Where(a => a != "SCMP_ACT_NOTIFY"))
        {
            var p = Compile(Profile(action, Rule(action == "SCMP_ACT_ALLOW" ? "SCMP_ACT_LOG" : "SCMP_ACT_ALLOW", "close_range")));
            Assert.Equal(ReferenceFilter.ActionOf(action, null), Run(p, SyscallInput.X86_64(Nr("close"))));
        }
    }

    // Values around the 32-bit boundary and the extremes, so every branch of the two-word comparison runs.
    static readonly ulong[] Interesting =
    [
        0, 1, 2, 0x7fff_ffff, 0x8000_0000, 0xffff_fffe, 0xffff_ffff, 0x1_0000_0000, 0x1_0000_0001, 0x1_ffff_ffff,
        0x2_0000_0000, 0x1234_5678_9abc_def0, 0x1234_5678_9abc_def1, 0x1234_5678_9abc_deef, 0x1234_5679_9abc_def0,
        0x1234_5677_9abc_def0, 0x8000_0000_0000_0000, 0xffff_ffff_0000_0000, 0xffff_ffff_ffff_fffe, ulong.MaxValue,
    ];

    public static TheoryData<string> OperatorNames => new(Operators.Names);

    [Theory]
    [MemberData(nameof(OperatorNames))]
    public void EveryOperatorComparesAll64Bits(string op)
    {
        foreach (var value in Interesting)
        {
            var spec = Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_ERRNO", "personality", Arg(3, op, value, 0x0000_00f0_0000_0f0f)));
            var p = Compile(spec);
            foreach (var arg in Interesting.Concat([value - 1, value + 1, value ^ 0x1_0000_0000, value ^ 1]))
            {
                var input = SyscallInput.X86_64(Nr("personality"), 0, 0, 0, arg);
                Assert.True(ReferenceFilter.Evaluate(spec, input) == Run(p, input), $"{op} value 0x{value:x} arg 0x{arg:x}");
            }
        }
    }

    [Fact]
    public void MaskedEqualMasksTheArgumentAndTheDatum()
    {
        // (arg & 0xff00000000ff) == (0x12000000ffff & mask) = 0x1200000000ff
        var p = Compile(Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_ERRNO", "clone", Arg(0, "SCMP_CMP_MASKED_EQ", 0xff00_0000_00ff, 0x1200_0000_ffff))));
        Assert.Equal(Errno(EPERM), Run(p, SyscallInput.X86_64(Nr("clone"), 0x1234_5678_9aff)));
        Assert.Equal(Allow, Run(p, SyscallInput.X86_64(Nr("clone"), 0x1334_5678_9aff)));
        Assert.Equal(Allow, Run(p, SyscallInput.X86_64(Nr("clone"), 0x1234_5678_9afe)));
        // A zero mask always matches.
        var always = Compile(Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_ERRNO", "clone", Arg(0, "SCMP_CMP_MASKED_EQ", 0, 5))));
        Assert.Equal(Errno(EPERM), Run(always, SyscallInput.X86_64(Nr("clone"), 12345)));
    }

    [Fact]
    public void ConditionsOfOneRuleAreAnded()
    {
        var p = Compile(Profile("SCMP_ACT_ALLOW",
            Rule("SCMP_ACT_ERRNO", "socket", Arg(0, "SCMP_CMP_EQ", 16), Arg(2, "SCMP_CMP_EQ", 9)),
            Rule("SCMP_ACT_ERRNO", ["mmap"], 22, Arg(1, "SCMP_CMP_GE", 4096), Arg(1, "SCMP_CMP_LT", 8192))));
        Assert.Equal(Errno(EPERM), Run(p, SyscallInput.X86_64(Nr("socket"), 16, 3, 9)));
        Assert.Equal(Allow, Run(p, SyscallInput.X86_64(Nr("socket"), 16, 3, 0)));
        Assert.Equal(Allow, Run(p, SyscallInput.X86_64(Nr("socket"), 2, 3, 9)));
        // Two conditions on the same argument: a range.
        Assert.Equal(Errno(22), Run(p, SyscallInput.X86_64(Nr("mmap"), 0, 4096)));
        Assert.Equal(Errno(22), Run(p, SyscallInput.X86_64(Nr("mmap"), 0, 8191)));
        Assert.Equal(Allow, Run(p, SyscallInput.X86_64(Nr("mmap"), 0, 8192)));
        Assert.Equal(Allow, Run(p, SyscallInput.X86_64(Nr("mmap"), 0, 4095)));
    }

    [Fact]
    public void RulesForOneSyscallAreTriedInOrder()
    {
        var p = Compile(Profile("SCMP_ACT_ERRNO",
            Rule("SCMP_ACT_ERRNO", ["socket"], 22, Arg(0, "SCMP_CMP_EQ", 16), Arg(2, "SCMP_CMP_EQ", 9)),
            Rule("SCMP_ACT_ALLOW", "socket", Arg(2, "SCMP_CMP_NE", 9)),
            Rule("SCMP_ACT_ALLOW", "socket", Arg(0, "SCMP_CMP_NE", 16)),
            Rule("SCMP_ACT_LOG", "socket"),
            Rule("SCMP_ACT_KILL", "socket"))); // unreachable after an unconditional rule
        Assert.Equal(Errno(22), Run(p, SyscallInput.X86_64(Nr("socket"), 16, 3, 9)));
        Assert.Equal(Allow, Run(p, SyscallInput.X86_64(Nr("socket"), 16, 3, 0)));
        Assert.Equal(Allow, Run(p, SyscallInput.X86_64(Nr("socket"), 2, 1, 9)));
        var first = Compile(Profile("SCMP_ACT_ALLOW",
            Rule("SCMP_ACT_ERRNO", ["personality"], 5, Arg(0, "SCMP_CMP_GT", 10)),
            Rule("SCMP_ACT_ERRNO", ["personality"], 6, Arg(0, "SCMP_CMP_GT", 5))));
        Assert.Equal(Errno(5), Run(first, SyscallInput.X86_64(Nr("personality"), 11)));
        Assert.Equal(Errno(6), Run(first, SyscallInput.X86_64(Nr("personality"), 7)));
        Assert.Equal(Allow, Run(first, SyscallInput.X86_64(Nr("personality"), 5)));
    }

    [Fact]
    public void UnknownSyscallNamesAreIgnored()
    {
        var p = Compile(Profile("SCMP_ACT_ALLOW",
            Rule("SCMP_ACT_ERRNO", ["no_such_syscall", "unshare", "s390_runtime_instr", "arm_fadvise64_64"])));
        Assert.Equal(Errno(EPERM), Run(p, SyscallInput.X86_64(Nr("unshare"))));
        Assert.Equal(Allow, Run(p, SyscallInput.X86_64(Nr("read"))));
        var none = Compile(Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_ERRNO", ["no_such_syscall"])));
        Assert.Equal(Allow, Run(none, SyscallInput.X86_64(Nr("unshare"))));
    }

    [Fact]
    public void I386SyscallsAreKilledUnlessX86IsListedThenMatchedWithI386Numbers()
    {
        var spec = Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_ERRNO", "unshare"));
        var p = Compile(spec);
        Assert.Equal(KillThread, Run(p, SyscallInput.I386(NrI386("getpid"))));
        spec.Architectures = ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"];
        p = Compile(spec);
        Assert.Equal(310, NrI386("unshare"));
        Assert.Equal(Errno(EPERM), Run(p, SyscallInput.I386(310)));
        Assert.Equal(Allow, Run(p, SyscallInput.I386(Nr("unshare")))); // 272 is another i386 syscall
        Assert.Equal(Errno(EPERM), Run(p, SyscallInput.X86_64(272)));
        Assert.Equal(KillThread, Run(p, new SyscallInput(1, 0xC00000B7 /* AUDIT_ARCH_AARCH64 */, new ulong[6])));
    }

    [Fact]
    public void I386SocketcallAndIpcCarryTheRulesOfTheirCalls()
    {
        var spec = Profile("SCMP_ACT_ALLOW",
            Rule("SCMP_ACT_ERRNO", ["socket"], 97, Arg(0, "SCMP_CMP_EQ", 2), Arg(1, "SCMP_CMP_NE", 7)),
            Rule("SCMP_ACT_ERRNO", ["recv", "shmat"], 13));
        spec.Architectures = ["SCMP_ARCH_X86"];
        var p = Compile(spec);
        Assert.Equal(Errno(97), Run(p, SyscallInput.I386(NrI386("socket"), 2, 1)));   // direct: arg0 == AF_INET
        Assert.Equal(Allow, Run(p, SyscallInput.I386(NrI386("socket"), 1, 1)));
        Assert.Equal(Errno(97), Run(p, SyscallInput.I386(102, 1, 1)));                // socketcall(SYS_SOCKET, ...): arg0 is the call
        Assert.Equal(Allow, Run(p, SyscallInput.I386(102, 1, 7)));                    // arg1 condition kept
        Assert.Equal(Allow, Run(p, SyscallInput.I386(102, 3, 1)));                    // SYS_CONNECT
        Assert.Equal(Errno(13), Run(p, SyscallInput.I386(102, 10)));                  // SYS_RECV: no direct i386 syscall
        Assert.Equal(Errno(13), Run(p, SyscallInput.I386(117, 21)));                  // ipc(SHMAT)
        Assert.Equal(Errno(13), Run(p, SyscallInput.I386(NrI386("shmat"))));
        Assert.Equal(Allow, Run(p, SyscallInput.X86_64(Nr("socket"), 1, 1)));
        Assert.Equal(Allow, Run(p, SyscallInput.X86_64(102, 1, 1)));                  // 102 is getuid on x86_64
    }

    [Fact]
    public void ThirtyTwoBitAbisCompareTheLowHalfOnly()
    {
        var spec = Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_ERRNO", "personality", Arg(0, "SCMP_CMP_EQ", 0x1_0000_0005)));
        spec.Architectures = ["SCMP_ARCH_X86", "SCMP_ARCH_X32"];
        var p = Compile(spec);
        Assert.Equal(Errno(EPERM), Run(p, SyscallInput.I386(NrI386("personality"), 5)));
        Assert.Equal(Errno(EPERM), Run(p, SyscallInput.X32(NrX32("personality") & 0xfff, 5)));
        Assert.Equal(Allow, Run(p, SyscallInput.X86_64(Nr("personality"), 5)));
        Assert.Equal(Errno(EPERM), Run(p, SyscallInput.X86_64(Nr("personality"), 0x1_0000_0005)));
    }

    [Fact]
    public void X32SyscallsAreKilledUnlessX32IsListedExceptTheSkipNumber()
    {
        var spec = Profile("SCMP_ACT_ERRNO", Rule("SCMP_ACT_ALLOW", ["read", "write", "unshare"]));
        var p = Compile(spec);
        Assert.Equal(KillThread, Run(p, SyscallInput.X32(0)));          // x32 read
        Assert.Equal(KillThread, Run(p, SyscallInput.X32(512)));        // x32 rt_sigaction
        Assert.Equal(Errno(EPERM), Run(p, SyscallInput.X86_64(-1)));    // a tracer's skip: default, as libseccomp
        Assert.Equal(Allow, Run(p, SyscallInput.X86_64(0)));
        spec.Architectures = ["SCMP_ARCH_X86_64", "SCMP_ARCH_X32"];
        p = Compile(spec);
        Assert.Equal(Allow, Run(p, SyscallInput.X32(0)));
        Assert.Equal(Allow, Run(p, SyscallInput.X32(NrX32("unshare") & 0xfff)));
        Assert.Equal(Errno(EPERM), Run(p, SyscallInput.X32(3)));         // x32 close: not listed
        Assert.Equal(Errno(ENOSYS), Run(p, SyscallInput.X32(600)));      // past the highest x32 syscall named
        Assert.Equal(Errno(EPERM), Run(p, SyscallInput.X86_64(-1)));
        Assert.Equal(KillThread, Run(p, SyscallInput.I386(3)));
    }

    [Fact]
    public void SyscallsNewerThanTheProfileGetEnosysUnlessTheDefaultLetsThemRun()
    {
        var spec = Profile("SCMP_ACT_ERRNO", Rule("SCMP_ACT_ALLOW", ["read", "close_range"]));
        var p = Compile(spec);
        Assert.Equal(Errno(EPERM), Run(p, SyscallInput.X86_64(Nr("write"))));
        Assert.Equal(Errno(ENOSYS), Run(p, SyscallInput.X86_64(Nr("close_range") + 1)));
        Assert.Equal(Errno(ENOSYS), Run(p, SyscallInput.X86_64(0x3fff_ffff)));
        spec.DefaultAction = "SCMP_ACT_LOG";
        p = Compile(spec);
        Assert.Equal(Log, Run(p, SyscallInput.X86_64(Nr("close_range") + 1)));
        spec.DefaultAction = "SCMP_ACT_KILL_PROCESS";
        p = Compile(spec);
        Assert.Equal(Errno(ENOSYS), Run(p, SyscallInput.X86_64(Nr("close_range") + 1)));
        Assert.Equal(KillProcess, Run(p, SyscallInput.X86_64(Nr("write"))));
    }

    [Fact]
    public void MultiplexedCallsDoNotMoveTheEnosysStub()
    {
        // "recv" exists on i386 only through socketcall(102): the i386 leg names no syscall, so no stub there.
        var spec = Profile("SCMP_ACT_ERRNO", Rule("SCMP_ACT_ALLOW", "recv"));
        spec.Architectures = ["SCMP_ARCH_X86"];
        var p = Compile(spec);
        Assert.Equal(Allow, Run(p, SyscallInput.I386(102, 10)));
        Assert.Equal(Errno(EPERM), Run(p, SyscallInput.I386(103)));
        Assert.Equal(Errno(EPERM), Run(p, SyscallInput.I386(500)));
    }

    [Theory]
    [InlineData("{\"defaultAction\":\"SCMP_ACT_FOO\"}", "linux.seccomp.defaultAction", "unknown action \"SCMP_ACT_FOO\"")]
    [InlineData("{}", "linux.seccomp.defaultAction", "required")]
    [InlineData("{\"defaultAction\":\"SCMP_ACT_NOTIFY\"}", "linux.seccomp.defaultAction", "cannot be the default action")]
    [InlineData("{\"defaultAction\":\"SCMP_ACT_KILL\",\"defaultErrnoRet\":1}", "linux.seccomp.defaultErrnoRet", "only SCMP_ACT_ERRNO and SCMP_ACT_TRACE")]
    [InlineData("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_VAX\"]}", "linux.seccomp.architectures[1]", "unknown architecture \"SCMP_ARCH_VAX\"")]
    [InlineData("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"flags\":[\"SECCOMP_FILTER_FLAG_LOG\",\"SECCOMP_FILTER_FLAG_BOGUS\"]}", "linux.seccomp.flags[1]", "unknown flag \"SECCOMP_FILTER_FLAG_BOGUS\"")]
    [InlineData("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerMetadata\":\"x\"}", "linux.seccomp.listenerMetadata", "without listenerPath")]
    [InlineData("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ERRNO\"},{\"names\":[\"a\"],\"action\":\"SCMP_ACT_ERRNO\"},{\"names\":[\"b\"],\"action\":\"SCMP_ACT_ERRNO\"},{\"names\":[\"c\"],\"action\":\"SCMP_ACT_FOO\"}]}", "linux.seccomp.syscalls[3].action", "unknown action \"SCMP_ACT_FOO\"")]
    [InlineData("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"]}]}", "linux.seccomp.syscalls[0].action", "required")]
    [InlineData("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[],\"action\":\"SCMP_ACT_ERRNO\"}]}", "linux.seccomp.syscalls[0].names", "at least one")]
    [InlineData("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\",\"\"],\"action\":\"SCMP_ACT_ERRNO\"}]}", "linux.seccomp.syscalls[0].names[1]", "empty")]
    [InlineData("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_LOG\",\"errnoRet\":5}]}", "linux.seccomp.syscalls[0].errnoRet", "only SCMP_ACT_ERRNO")]
    [InlineData("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":70000}]}", "linux.seccomp.syscalls[0].errnoRet", "16 bits")]
    [InlineData("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_EQ\"},{\"index\":1,\"value\":1,\"op\":\"SCMP_CMP_SORTOF\"}]}]}", "linux.seccomp.syscalls[0].args[1].op", "unknown operator \"SCMP_CMP_SORTOF\"")]
    [InlineData("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":6,\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]}]}", "linux.seccomp.syscalls[0].args[0].index", "out of range")]
    [InlineData("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}", "linux.seccomp.listenerPath", "required")]
    [InlineData("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"/s\",\"syscalls\":[{\"names\":[\"read\",\"write\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}", "linux.seccomp.syscalls[0].action", "\"write\"")]
    public void BadInputIsAnErrorNamingTheField(string json, string field, string reason)
    {
        var spec = Parse(json);
        var e = Assert.Throws<SpecException>(() => SeccompCompiler.Compile(spec));
        Assert.Equal(field, e.Field);
        Assert.Contains(reason, e.Reason);
        Assert.StartsWith(field + ": ", e.Message);
    }

    static Spec.Seccomp Parse(string seccompJson) =>
        SpecLoader.Parse(System.Text.Encoding.UTF8.GetBytes($"{{\"ociVersion\":\"1.2.0\",\"linux\":{{\"seccomp\":{seccompJson}}}}}")).Linux!.Seccomp!;

    [Fact]
    public void ForeignArchitecturesAreAcceptedAndIgnored()
    {
        var spec = Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_ERRNO", "unshare"));
        spec.Architectures = ["SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM", "SCMP_ARCH_S390X", "SCMP_ARCH_RISCV64"];
        var p = Compile(spec);
        Assert.Equal(Errno(EPERM), Run(p, SyscallInput.X86_64(Nr("unshare")))); // native is always filtered
        Assert.Equal(KillThread, Run(p, SyscallInput.I386(1)));
    }

    [Fact]
    public void FlagsFollowRunc()
    {
        const uint Tsync = 1, LogFlag = 2, SpecAllow = 4, NewListener = 8, TsyncEsrch = 16, WaitKillable = 32;
        var spec = Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_ERRNO", "unshare"));
        Assert.Equal(SpecAllow, Compile(spec).Flags);     // absent: SPEC_ALLOW, as runc
        spec.Flags = [];
        Assert.Equal(0u, Compile(spec).Flags);            // empty: none
        spec.Flags = ["SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"];
        Assert.Equal(Tsync | LogFlag, Compile(spec).Flags); // WAIT_KILLABLE_RECV needs a listener
        spec.Syscalls!.Add(Rule("SCMP_ACT_NOTIFY", "mkdir"));
        spec.ListenerPath = "/run/agent.sock";
        var p = Compile(spec);
        Assert.True(p.HasNotify);
        Assert.Equal(Tsync | LogFlag | WaitKillable | NewListener | TsyncEsrch, p.Flags);
    }

    [Fact]
    public void NotifyForAnUnknownNameNeedsNoListener()
    {
        var p = Compile(Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_NOTIFY", "no_such_syscall")));
        Assert.False(p.HasNotify);
    }

    [Fact]
    public void DisabledMeansNoDefaultActionAndNoSyscalls()
    {
        Assert.True(SeccompCompiler.IsDisabled(null));
        Assert.True(SeccompCompiler.IsDisabled(new Spec.Seccomp()));
        Assert.False(SeccompCompiler.IsDisabled(Profile("SCMP_ACT_ALLOW")));
    }

    [Fact]
    public void ProgramRoundTripsThroughBytes()
    {
        var p = Compile(Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_ERRNO", "unshare")));
        var q = SeccompProgram.FromBytes(p.Bytes, p.Flags);
        Assert.Equal(p.Bytes.ToArray(), q.Bytes.ToArray());
        Assert.Equal(p.Length * 8, p.Bytes.Length);
        Assert.Contains("ret ERRNO(1)", p.Disassemble());
    }
}
