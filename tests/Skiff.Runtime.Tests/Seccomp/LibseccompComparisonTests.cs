using Skiff.Runtime.Seccomp;
using Skiff.Runtime.Spec;
using Xunit;
using Xunit.Abstractions;
using static Skiff.Runtime.Tests.Seccomp.Profiles;

namespace Skiff.Runtime.Tests.Seccomp;

/// <summary>
/// Differential test against libseccomp (Debian's 2.5.4, the library runc uses): random profiles inside the
/// part where libseccomp and Skiff mean the same (one rule per syscall, distinct arguments per rule, no
/// runc ENOSYS stub) must decide identically on every ABI, including bad arches, x32 numbers, -1, 64-bit
/// argument edges and i386 socketcall/ipc multiplexing.
/// </summary>
public class LibseccompComparisonTests(ITestOutputHelper output)
{
    // Rules on the multiplexers themselves and on the calls they carry would both land on socketcall/ipc,
    // where libseccomp merges rather than tries in order; the calls alone are compared (with "send"/"recv",
    // which i386 only has through socketcall).
    static readonly string[] Names = SyscallTable.Entries(SyscallAbi.X86_64).Select(e => e.Name)
        .Concat(SyscallTable.Entries(SyscallAbi.X86).Select(e => e.Name)).Concat(["send", "recv"]).Distinct()
        .Where(n => n is not ("socketcall" or "ipc")).Order().ToArray();

    static readonly string[] Defaults = ["SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_TRACE", "SCMP_ACT_ERRNO"];
    static readonly string[] Actions = ["SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_TRAP", "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG"];

    static ulong Value(Random r) => r.Next(6) switch
    {
        0 => (ulong)r.Next(4),
        1 => (ulong)r.NextInt64() | ((ulong)r.Next(2) << 63),
        2 => 0xffff_ffffUL + (ulong)r.Next(-2, 3),
        3 => ulong.MaxValue - (ulong)r.Next(3),
        4 => (ulong)r.Next(3) << 32 | (uint)r.Next(3),
        _ => (ulong)r.Next(),
    };

    static Spec.Seccomp RandomProfile(Random r)
    {
        var spec = new Spec.Seccomp { DefaultAction = Defaults[r.Next(Defaults.Length)], Syscalls = [] };
        if (spec.DefaultAction == "SCMP_ACT_ERRNO") spec.DefaultErrnoRet = 38; // ENOSYS: no stub
        spec.Architectures = ["SCMP_ARCH_X86_64", .. new[] { "SCMP_ARCH_X86", "SCMP_ARCH_X32" }.Where(_ => r.Next(2) == 0)];
        uint dflt = ReferenceFilter.ActionOf(spec.DefaultAction, spec.DefaultErrnoRet);
        foreach (var name in Names.OrderBy(_ => r.Next()).Take(r.Next(1, 60)))
        {
            string action;
            uint? errno;
            do
            {
                action = Actions[r.Next(Actions.Length)];
                errno = action is "SCMP_ACT_ERRNO" or "SCMP_ACT_TRACE" ? (uint)r.Next(1, 100) : null;
            } while (ReferenceFilter.ActionOf(action, errno) == dflt);
            var args = Enumerable.Range(0, 6).OrderBy(_ => r.Next()).Take(r.Next(3))
                .Select(i => Arg((uint)i, Operators.Names[r.Next(7)], Value(r), Value(r))).ToArray();
            spec.Syscalls.Add(Rule(action, [name], errno, args));
        }
        return spec;
    }

    [Fact]
    public void RandomProfilesDecideLikeLibseccomp()
    {
        Assert.True(Libseccomp.Available, "libseccomp.so.2 (Debian libseccomp2) is missing");
        var r = new Random(2026);
        int profiles = 0, refused = 0, inputs = 0, theirBug = 0;
        for (int round = 0; round < 100; round++)
        {
            var spec = RandomProfile(r);
            byte[]? theirs;
            while ((theirs = Libseccomp.Export(spec, out int bad)) is null)
            {
                refused++;
                spec.Syscalls!.RemoveAt(bad);
            }
            if (spec.Syscalls!.Count == 0) continue;
            var ours = SeccompCompiler.Compile(spec);
            var reference = SeccompProgram.FromBytes(theirs, 0);
            profiles++;
            for (int i = 0; i < 1500; i++)
            {
                var input = Input(r, spec);
                inputs++;
                uint expected = BpfInterpreter.Run(reference, input, out _, out bool broken);
                uint actual = BpfInterpreter.Run(ours, input, out _, out bool oursBroken);
                Assert.False(oursBroken, "our program compared the arch word with a syscall number");
                if (broken) { theirBug++; continue; } // libseccomp 2.5.4 skipped the `ld nr` on this path
                Assert.True(expected == actual,
                    $"round {round}: nr 0x{input.Nr:x} arch 0x{input.Arch:x} args [{string.Join(", ", input.Args.Select(a => $"0x{a:x}"))}]: " +
                    $"libseccomp 0x{expected:x}, skiff 0x{actual:x}\nprofile: {Describe(spec)}");
            }
        }
        output.WriteLine($"{profiles} profiles, {inputs} inputs, {refused} rules refused by libseccomp and dropped, " +
            $"{theirBug} inputs skipped where libseccomp's program compares the arch word with a syscall number");
        Assert.True(theirBug < inputs / 10);
    }

    [Fact]
    public void DefaultProfileDecidesLikeLibseccomp()
    {
        // Debian's default profile: its repeated rules (personality) share one action, so libseccomp's merging
        // and Skiff's first match agree; the default is ERRNO(ENOSYS), so runc's stub changes nothing.
        var spec = DockerProfile.Load(DockerProfile.DebianPath, DockerProfile.DefaultCapabilities);
        var ours = SeccompCompiler.Compile(spec);
        var theirs = SeccompProgram.FromBytes(Libseccomp.Export(spec, out int refused) ?? throw new InvalidOperationException($"rule {refused} refused"), 0);
        output.WriteLine($"libseccomp: {theirs.Length} instructions, skiff: {ours.Length}");
        int compared = 0, theirBug = 0;
        var values = new ulong[] { 0, 8, 9, 16, 0x20000, 0x20008, 0xffffffff, 0x1_0000_0000, 0x1_0000_0008, ulong.MaxValue };
        for (int nr = -1; nr < 1100; nr++)
            foreach (var v in values)
                foreach (var input in new[] { SyscallInput.X86_64(nr, v, 1, v), SyscallInput.I386(nr, v, 1, v), SyscallInput.X32(nr, v, 1, v) })
                {
                    uint expected = BpfInterpreter.Run(theirs, input, out _, out bool broken);
                    if (broken) { theirBug++; continue; }
                    Assert.True(expected == BpfInterpreter.Run(ours, input), $"nr 0x{input.Nr:x} arch 0x{input.Arch:x} arg 0x{v:x}: libseccomp 0x{expected:x}, skiff 0x{BpfInterpreter.Run(ours, input):x}");
                    compared++;
                }
        output.WriteLine($"{compared} inputs agree, {theirBug} skipped (libseccomp compares the arch word)");
    }

    static SyscallInput Input(Random r, Spec.Seccomp spec)
    {
        var rule = spec.Syscalls![r.Next(spec.Syscalls.Count)];
        var name = rule.Names![0];
        var args = new ulong[6];
        for (int i = 0; i < 6; i++)
        {
            var near = rule.Args?.Where(a => a.Index == i).SelectMany(a => new[] { a.Value, a.ValueTwo, a.Value & a.ValueTwo }).ToArray() ?? [];
            args[i] = near.Length > 0 && r.Next(4) > 0 ? near[r.Next(near.Length)] + (ulong)r.Next(-1, 2) : Value(r);
            if (r.Next(4) == 0) args[i] = (uint)args[i] | ((ulong)r.Next(3) << 32);
        }
        int kind = r.Next(14);
        if (kind >= 12 && Multiplexer(name) is (int mux, int call))
        {
            args[0] = r.Next(4) == 0 ? (ulong)r.Next(25) : (uint)call | ((ulong)r.Next(2) << 32);
            return SyscallInput.I386(mux, args);
        }
        int nr = kind switch
        {
            < 5 => SyscallTable.X86_64(name),
            5 or 6 => SyscallTable.X86(name),
            7 => SyscallTable.X32(name),
            8 => r.Next(0, 1000),
            9 => -1,
            10 => (int)Architectures.X32SyscallBit + r.Next(0, 1000),
            _ => r.Next(),
        };
        if (nr == -1 && kind != 9) nr = r.Next(0, 500);
        uint arch = kind is 5 or 6 || (kind == 8 && r.Next(2) == 0) ? Architectures.AuditArchI386
            : kind == 11 && r.Next(2) == 0 ? 0xC00000B7 /* aarch64 */ : Architectures.AuditArchX86_64;
        return new SyscallInput(nr, arch, args);
    }

    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, (int, int)?> Multiplexers = new();

    static (int, int)? Multiplexer(string name) => Multiplexers.GetOrAdd(name, FindMultiplexer);

    static (int, int)? FindMultiplexer(string name)
    {
        var spec = Profile("SCMP_ACT_ALLOW", Rule("SCMP_ACT_KILL", name));
        spec.Architectures = ["SCMP_ARCH_X86"];
        // The compiler knows the mapping; ask it through a one-rule program rather than repeating the table.
        var program = SeccompCompiler.Compile(spec);
        foreach (var (mux, max) in new[] { (102, 20), (117, 24) })
            for (int call = 1; call <= max; call++)
                if (BpfInterpreter.Run(program, SyscallInput.I386(mux, (ulong)call)) == KillThread) return (mux, call);
        return null;
    }

    static string Describe(Spec.Seccomp spec) =>
        $"default {spec.DefaultAction}({spec.DefaultErrnoRet}) arches [{string.Join(",", spec.Architectures!)}] " +
        string.Join("; ", spec.Syscalls!.Select(s => $"{s.Names![0]} {s.Action}({s.ErrnoRet}) " +
            string.Join(" & ", (s.Args ?? []).Select(a => $"a{a.Index} {a.Op} 0x{a.Value:x}/0x{a.ValueTwo:x}"))));
}
