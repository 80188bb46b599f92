namespace Skiff.Runtime.Seccomp;

/// <summary>
/// The shape of the generated program:
/// <code>
///   ld arch; jeq AUDIT_ARCH_X86_64 → x86_64 leg; [jeq AUDIT_ARCH_I386 → i386 leg]; ret bad-arch
///   leg: ld nr; binary search over number ranges → ret action | argument chain of one syscall
/// </code>
/// Each leg splits the 32-bit syscall-number space into ranges with one outcome each (neighbouring numbers
/// with the same outcome share a range: e.g. most of an allow-list is a few ranges) and searches them with
/// a balanced tree of <c>jge</c>, so a syscall costs about log2(ranges) jumps and the program stays far under
/// the kernel's 4096 instructions for large profiles. Outcomes outside the listed syscalls:
/// <list type="bullet">
/// <item>x86_64 leg without x32 listed: numbers with __X32_SYSCALL_BIT get the bad-arch action, except -1
///   (a tracer's "skip this syscall"), which gets the default action — as libseccomp.</item>
/// <item>numbers above the highest syscall the profile names get ERRNO(ENOSYS) unless the default action lets
///   syscalls run (ALLOW, LOG, TRACE) — runc's "-ENOSYS stub", so that libc falls back from syscalls newer than
///   the profile instead of failing with the default errno (EPERM).</item>
/// <item>everything else: the default action.</item>
/// </list>
/// </summary>
internal static class FilterLayout
{
    const long NumberSpace = 1L << 32;
    const uint SkipSyscall = uint.MaxValue; // -1

    /// <summary>What a range of syscall numbers gets: a fixed action, or the rule chain of one syscall.</summary>
    abstract record Outcome;
    sealed record Fixed(SeccompAction Action) : Outcome;
    sealed record Chain(SyscallRules Rules) : Outcome
    {
        // One chain per syscall number: compare by identity, never merge two.
        public bool Equals(Chain? other) => ReferenceEquals(this, other);
        public override int GetHashCode() => Rules.GetHashCode();
    }

    /// <summary>One leg: the syscalls of the ABIs the kernel reports under one audit arch.</summary>
    internal sealed class Leg(uint auditArch)
    {
        public uint AuditArch { get; } = auditArch;
        public SortedDictionary<int, SyscallRules> Syscalls { get; } = [];
        public List<(long Start, long End, SeccompAction Action)> Background { get; } = [];
    }

    public static BpfInstruction[] Build(IReadOnlyList<SyscallAbi> abis, SeccompAction defaultAction,
        IReadOnlyDictionary<SyscallAbi, SortedDictionary<int, SyscallRules>> rules)
    {
        var legs = new List<Leg>(2);
        bool enosys = !defaultAction.LetsSyscallsRun && defaultAction != SeccompAction.ErrnoWith((uint)Linux.Errno.ENOSYS);
        var enosysAction = SeccompAction.ErrnoWith((uint)Linux.Errno.ENOSYS);

        var x64 = new Leg(Architectures.AuditArchX86_64);
        Merge(x64, rules[SyscallAbi.X86_64]);
        Space(x64, 0, Architectures.X32SyscallBit, rules[SyscallAbi.X86_64], enosys, defaultAction, enosysAction);
        if (abis.Contains(SyscallAbi.X32))
        {
            Merge(x64, rules[SyscallAbi.X32]);
            Space(x64, Architectures.X32SyscallBit, SkipSyscall, rules[SyscallAbi.X32], enosys, defaultAction, enosysAction);
        }
        else x64.Background.Add((Architectures.X32SyscallBit, SkipSyscall, Architectures.BadArchAction));
        x64.Background.Add((SkipSyscall, NumberSpace, defaultAction));
        legs.Add(x64);

        if (abis.Contains(SyscallAbi.X86))
        {
            var x86 = new Leg(Architectures.AuditArchI386);
            Merge(x86, rules[SyscallAbi.X86]);
            Space(x86, 0, SkipSyscall, rules[SyscallAbi.X86], enosys, defaultAction, enosysAction);
            x86.Background.Add((SkipSyscall, NumberSpace, defaultAction));
            legs.Add(x86);
        }

        var asm = new FilterAssembler();
        int badArch = asm.ReturnHere(Architectures.BadArchAction);
        var entries = new int[legs.Count];
        for (int i = legs.Count - 1; i >= 0; i--)
        {
            var ranges = Ranges(legs[i]);
            Tree(asm, ranges, 0, ranges.Count, defaultAction);
            entries[i] = asm.Load(SeccompData.Nr);
        }
        int next = badArch;
        // The bad-arch ret sits at the very end; jump there (a far jump gets a trampoline).
        for (int i = legs.Count - 1; i >= 0; i--)
            next = asm.Jump(BpfInstruction.JumpIfEqual, legs[i].AuditArch, entries[i], next);
        asm.Load(SeccompData.Arch);
        return asm.ToProgram();
    }

    static void Merge(Leg leg, SortedDictionary<int, SyscallRules> syscalls)
    {
        foreach (var (nr, r) in syscalls) leg.Syscalls[nr] = r;
    }

    /// <summary>The background of [start, end): default up to the highest named syscall, then ENOSYS (or default).</summary>
    static void Space(Leg leg, long start, long end, SortedDictionary<int, SyscallRules> syscalls, bool enosys,
        SeccompAction defaultAction, SeccompAction enosysAction)
    {
        if (enosys && syscalls.Count > 0)
        {
            long highest = syscalls.Keys.Last();
            leg.Background.Add((start, highest + 1, defaultAction));
            leg.Background.Add((highest + 1, end, enosysAction));
        }
        else leg.Background.Add((start, end, defaultAction));
    }

    /// <summary>The leg's number space as sorted ranges (start, outcome) covering [0, 2^32), neighbours merged.</summary>
    static List<(long Start, Outcome Outcome)> Ranges(Leg leg)
    {
        var ranges = new List<(long Start, Outcome Outcome)>(leg.Syscalls.Count * 2 + 8);
        void Append(long start, Outcome outcome)
        {
            if (ranges.Count > 0 && ranges[^1].Outcome.Equals(outcome)) return;
            if (ranges.Count > 0 && ranges[^1].Start == start) ranges[^1] = (start, outcome);
            else ranges.Add((start, outcome));
        }
        var background = leg.Background.OrderBy(b => b.Start).ToList();
        void Fill(long from, long to)
        {
            foreach (var (s, e, action) in background)
            {
                long a = Math.Max(s, from), b = Math.Min(e, to);
                if (a < b) Append(a, new Fixed(action));
            }
        }
        long cursor = 0;
        foreach (var (nr, rules) in leg.Syscalls)
        {
            long n = (uint)nr;
            Fill(cursor, n);
            Append(n, rules.Unconditional is { } action ? new Fixed(action) : new Chain(rules));
            cursor = n + 1;
        }
        Fill(cursor, NumberSpace);
        return ranges;
    }

    /// <summary>A balanced search over ranges[from..to) with the syscall number in A; returns its first instruction.</summary>
    static int Tree(FilterAssembler asm, List<(long Start, Outcome Outcome)> ranges, int from, int to, SeccompAction defaultAction)
    {
        if (to - from == 1) return Leaf(asm, ranges[from].Outcome, defaultAction);
        int middle = (from + to) / 2;
        int right = Tree(asm, ranges, middle, to, defaultAction);
        int left = Tree(asm, ranges, from, middle, defaultAction);
        return asm.Jump(BpfInstruction.JumpIfGreaterOrEqual, (uint)ranges[middle].Start, right, left);
    }

    static int Leaf(FilterAssembler asm, Outcome outcome, SeccompAction defaultAction) => outcome switch
    {
        Fixed f => asm.ReturnHere(f.Action),
        Chain c => RuleChain(asm, c.Rules, defaultAction),
        _ => throw new InvalidOperationException(),
    };

    /// <summary>The rules of one syscall, first match wins; an unconditional rule ends the chain.</summary>
    static int RuleChain(FilterAssembler asm, SyscallRules syscall, SeccompAction defaultAction)
    {
        var rules = syscall.Rules;
        int count = rules.FindIndex(r => r.IsUnconditional) is var u and >= 0 ? u + 1 : rules.Count;
        int next = asm.ReturnHere(rules[count - 1].IsUnconditional ? rules[count - 1].Action : defaultAction);
        int last = rules[count - 1].IsUnconditional ? count - 2 : count - 1;
        for (int i = last; i >= 0; i--)
        {
            var rule = rules[i];
            int target = asm.Return(rule.Action);
            for (int c = rule.Conditions.Length - 1; c >= 0; c--)
                target = ArgumentComparison.Emit(asm, rule.Conditions[c], syscall.Wide, target, next);
            next = target;
        }
        return next;
    }
}
