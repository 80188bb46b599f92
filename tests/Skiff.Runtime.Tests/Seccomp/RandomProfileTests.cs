using Skiff.Runtime.Seccomp;
using Skiff.Runtime.Spec;
using Xunit;
using static Skiff.Runtime.Tests.Seccomp.Profiles;

namespace Skiff.Runtime.Tests.Seccomp;

/// <summary>
/// Random profiles (many rules, conditions, actions, architectures) compiled and run on random inputs, checked
/// against <see cref="ReferenceFilter"/>. Large ones force far jumps (trampolines) through the whole program.
/// </summary>
public class RandomProfileTests
{
    static readonly string[] Names = SyscallTable.Entries(SyscallAbi.X86_64).Select(e => e.Name)
        .Concat(["no_such_syscall", "socketcall", "waitpid", "arm_fadvise64_64"]).ToArray();
    static readonly string[] Actions = [.. SeccompAction.Names];

    static ulong RandomValue(Random r) => r.Next(6) switch
    {
        0 => (ulong)r.Next(4),
        1 => (ulong)r.NextInt64() | ((ulong)r.Next(2) << 63),
        2 => 0xffff_ffffUL + (ulong)r.Next(-2, 3),
        3 => ulong.MaxValue - (ulong)r.Next(3),
        4 => (ulong)r.Next(3) << 32 | (uint)r.Next(3),
        _ => (ulong)r.Next(),
    };

    static Spec.Seccomp RandomProfile(Random r, int rules, int maxConditions)
    {
        var spec = new Spec.Seccomp
        {
            DefaultAction = Actions.Where(a => a != "SCMP_ACT_NOTIFY").ElementAt(r.Next(8)),
            ListenerPath = "/run/agent.sock",
            Syscalls = [],
        };
        if (spec.DefaultAction is "SCMP_ACT_ERRNO" or "SCMP_ACT_TRACE" && r.Next(2) == 0) spec.DefaultErrnoRet = (uint)r.Next(1, 200);
        spec.Architectures = new[] { "SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32", "SCMP_ARCH_AARCH64" }
            .Where(_ => r.Next(2) == 0).ToList();
        for (int i = 0; i < rules; i++)
        {
            string action = Actions[r.Next(Actions.Length)];
            var names = Enumerable.Range(0, r.Next(1, 4)).Select(_ => r.Next(3) == 0 ? Names[r.Next(40)] : Names[r.Next(Names.Length)])
                .Where(n => !(action == "SCMP_ACT_NOTIFY" && n == "write")).DefaultIfEmpty("read").ToArray();
            var args = Enumerable.Range(0, r.Next(maxConditions + 1)).Select(_ =>
                Arg((uint)r.Next(6), Operators.Names[r.Next(7)], RandomValue(r), RandomValue(r))).ToArray();
            uint? errno = action is "SCMP_ACT_ERRNO" or "SCMP_ACT_TRACE" && r.Next(2) == 0 ? (uint)r.Next(1, 4096) : null;
            spec.Syscalls.Add(Rule(action, names, errno, args));
        }
        return spec;
    }

    static SyscallInput RandomInput(Random r, Spec.Seccomp spec)
    {
        // Mostly syscalls the profile names, with argument values near the ones it compares with.
        var rule = spec.Syscalls![r.Next(spec.Syscalls.Count)];
        string name = rule.Names![r.Next(rule.Names.Count)];
        var args = new ulong[6];
        for (int i = 0; i < 6; i++)
        {
            var near = rule.Args?.Where(a => a.Index == i).Select(a => a.Value).ToArray() ?? [];
            args[i] = near.Length > 0 && r.Next(3) > 0 ? near[r.Next(near.Length)] + (ulong)r.Next(-1, 2) : RandomValue(r);
        }
        int kind = r.Next(10);
        int nr = kind switch
        {
            < 5 => SyscallTable.X86_64(name),
            5 => SyscallTable.X86(name),
            6 => SyscallTable.X32(name),
            7 => r.Next(0, 600),
            8 => -1,
            _ => (int)Architectures.X32SyscallBit + r.Next(0, 600),
        };
        if (nr == -1 && kind != 8) nr = r.Next(0, 500);
        uint arch = kind == 5 || (kind == 7 && r.Next(2) == 0) ? Architectures.AuditArchI386 : Architectures.AuditArchX86_64;
        return new SyscallInput(nr, arch, args);
    }

    [Theory]
    [InlineData(1, 5, 2, 400)]
    [InlineData(2, 40, 3, 2000)]
    [InlineData(3, 150, 4, 3000)]
    [InlineData(4, 60, 6, 3000)]
    [InlineData(5, 10, 1, 500)]
    public void CompiledProgramsAgreeWithTheReference(int seed, int rules, int maxConditions, int inputs)
    {
        var r = new Random(seed);
        for (int round = 0; round < 8; round++)
        {
            var spec = RandomProfile(r, rules, maxConditions);
            SeccompProgram program;
            try { program = SeccompCompiler.Compile(spec); }
            catch (SpecException e) when (e.Reason.Contains("more than the kernel's")) { continue; }
            BpfInterpreter.Verify(program);
            for (int i = 0; i < inputs; i++)
            {
                var input = RandomInput(r, spec);
                uint expected = ReferenceFilter.Evaluate(spec, input), actual = BpfInterpreter.Run(program, input);
                Assert.True(expected == actual,
                    $"seed {seed} round {round}: nr 0x{input.Nr:x} arch 0x{input.Arch:x} args [{string.Join(", ", input.Args.Select(a => $"0x{a:x}"))}]: expected 0x{expected:x}, got 0x{actual:x}");
            }
        }
    }

    [Fact]
    public void ManyConditionalSyscallsNeedFarJumpsAndStillAgree()
    {
        // Every x86_64 syscall with three 64-bit conditions: thousands of instructions between the tree and its leaves.
        var names = SyscallTable.Entries(SyscallAbi.X86_64).Select(e => e.Name).Take(120).ToArray();
        var spec = Profile("SCMP_ACT_ERRNO", names.Select((n, i) => Rule("SCMP_ACT_ALLOW", [n], null,
            Arg(0, "SCMP_CMP_GT", (ulong)i << 31), Arg(1, "SCMP_CMP_NE", (ulong)i), Arg(2, "SCMP_CMP_MASKED_EQ", 0xff, (ulong)i & 0xff))).ToArray());
        var program = SeccompCompiler.Compile(spec);
        BpfInterpreter.Verify(program);
        Assert.True(program.Length > 1000, $"{program.Length} instructions");
        Assert.Contains(Enumerable.Range(0, program.Length), i => program[i].Code == BpfInstruction.JumpAlways);
        var r = new Random(7);
        for (int i = 0; i < 5000; i++)
        {
            int k = r.Next(names.Length);
            var input = SyscallInput.X86_64(SyscallTable.X86_64(names[k]), ((ulong)k << 31) + (ulong)r.Next(-1, 2), (ulong)(k + r.Next(-1, 2)), (ulong)(k + r.Next(0, 2) * 256 + r.Next(0, 2)));
            Assert.Equal(ReferenceFilter.Evaluate(spec, input), BpfInterpreter.Run(program, input));
        }
    }
}
