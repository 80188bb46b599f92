namespace Skiff.Runtime.Seccomp;

/// <summary>
/// The shape of the generated program:
/// <code>
///   ld arch; jeq AUDIT_ARCH_X86_64 → x86_64 leg; [jeq AUDIT_ARCH_I386 → i386 leg]; ret bad-arch
///   leg: ld nr; binary search over number ranges → ret action | argument chain of one syscall
/// </code>
/// Each leg splits the 32-bit syscall-number space into ranges with one outcome each (neighbouring numbers
/// with the same outcome share a range: an allow-list is a few dozen ranges) and searches them with a
/// balanced tree of <c>jge</c>, so a syscall costs about log2(ranges) jumps and the program stays far under
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

    /// <summary>
    /// Numbers from <see cref="Start"/> on: a fixed action (<see cref="KeyCount"/> = 0) or the rules of one syscall,
    /// keys [KeyStart, KeyStart + KeyCount) of the set.
    /// </summary>
    record struct Range(long Start, SeccompAction Action, int KeyStart, int KeyCount, SyscallAbi Abi)
    {
        public bool IsFixed => KeyCount == 0;
    }

    /// <summary>The syscalls of one ABI in a leg: keys [KeyStart, KeyStart + KeyCount).</summary>
    record struct Segment(SyscallAbi Abi, int KeyStart, int KeyCount);

    /// <summary>Numbers without rules in [Start, End): the default action, ENOSYS or bad-arch.</summary>
    record struct Background(long Start, long End, SeccompAction Action);

    sealed class Layout(SyscallSet set, SeccompAction defaultAction)
    {
        public readonly SyscallSet Set = set;
        public readonly SeccompAction Default = defaultAction;
        public readonly SeccompAction Enosys = SeccompAction.ErrnoWith((uint)Linux.Errno.ENOSYS);
        public readonly List<Range> Ranges = new(256);
        public readonly List<Segment> Segments = new(2);
        public readonly List<Background> Background = new(6);
        public bool Stub => !Default.LetsSyscallsRun && Default != Enosys;
    }

    public static byte[] Build(IReadOnlyList<SyscallAbi> abis, SeccompAction defaultAction, SyscallSet set, out bool hasNotify)
    {
        var layout = new Layout(set, defaultAction);
        var asm = new FilterAssembler(512); // grows; the default profile needs ~600
        int badArch = asm.ReturnHere(Architectures.BadArchAction);
        bool x86 = abis.Contains(SyscallAbi.X86), x32 = abis.Contains(SyscallAbi.X32);

        // Legs are written last first (the assembler works backwards).
        int x86Entry = -1;
        if (x86)
        {
            Begin(layout);
            AddAbi(layout, SyscallAbi.X86, 0, SkipSyscall);
            layout.Background.Add(new(SkipSyscall, NumberSpace, defaultAction));
            x86Entry = Leg(asm, layout);
        }
        Begin(layout);
        // x86_64 numbers all lie below the x32 ones, so x32 comes second.
        AddAbi(layout, SyscallAbi.X86_64, 0, Architectures.X32SyscallBit);
        if (x32) AddAbi(layout, SyscallAbi.X32, Architectures.X32SyscallBit, SkipSyscall);
        else layout.Background.Add(new(Architectures.X32SyscallBit, SkipSyscall, Architectures.BadArchAction));
        layout.Background.Add(new(SkipSyscall, NumberSpace, defaultAction));
        int x64Entry = Leg(asm, layout);

        int next = x86 ? asm.Jump(BpfInstruction.JumpIfEqual, Architectures.AuditArchI386, x86Entry, badArch) : badArch;
        asm.Jump(BpfInstruction.JumpIfEqual, Architectures.AuditArchX86_64, x64Entry, next);
        asm.Load(SeccompData.Arch);
        hasNotify = asm.ReturnsNotify;
        return asm.ToBytes();
    }

    static void Begin(Layout layout)
    {
        layout.Segments.Clear();
        layout.Background.Clear();
    }

    /// <summary>
    /// Adds the syscalls of one ABI, which live in [start, end), and the background there: the default
    /// action up to the highest syscall named, then ENOSYS (with the stub) or the default.
    /// </summary>
    static void AddAbi(Layout layout, SyscallAbi abi, long start, long end)
    {
        var keys = layout.Set.Keys(abi);
        layout.Segments.Add(new(abi, layout.Set.KeyOffset(abi), keys.Length));
        if (layout.Stub && layout.Set.Highest(abi) >= 0)
        {
            long highest = (uint)layout.Set.Highest(abi);
            layout.Background.Add(new(start, highest + 1, layout.Default));
            layout.Background.Add(new(highest + 1, end, layout.Enosys));
        }
        else layout.Background.Add(new(start, end, layout.Default));
    }

    /// <summary>Writes <c>ld nr</c> and the search tree of the current leg; returns the leg's first instruction.</summary>
    static int Leg(FilterAssembler asm, Layout layout)
    {
        BuildRanges(layout);
        Tree(asm, layout, 0, layout.Ranges.Count);
        return asm.Load(SeccompData.Nr);
    }

    /// <summary>The leg's number space as sorted ranges covering [0, 2^32), neighbours with one action merged.</summary>
    static void BuildRanges(Layout layout)
    {
        var ranges = layout.Ranges;
        var background = layout.Background;
        ranges.Clear();
        int b = 0;
        void Append(Range range)
        {
            if (ranges.Count > 0)
            {
                var last = ranges[^1];
                if (range.IsFixed && last.IsFixed && last.Action == range.Action) return;
                if (last.Start == range.Start) { ranges[^1] = range; return; }
            }
            ranges.Add(range);
        }
        void Fill(long from, long to)
        {
            while (from < to)
            {
                while (background[b].End <= from) b++;
                Append(new(from, background[b].Action, 0, 0, default));
                from = Math.Min(background[b].End, to);
            }
        }
        var set = layout.Set;
        long cursor = 0;
        foreach (var segment in layout.Segments)
        {
            int end = segment.KeyStart + segment.KeyCount;
            for (int i = segment.KeyStart; i < end;)
            {
                // The keys of one syscall are consecutive, in rule order.
                int nr = SyscallSet.Number(set.KeyAt(i), segment.Abi), j = i + 1;
                while (j < end && SyscallSet.Number(set.KeyAt(j), segment.Abi) == nr) j++;
                long n = (uint)nr;
                Fill(cursor, n);
                var first = set.Rule(set.KeyAt(i));
                Append(first.IsUnconditional
                    ? new(n, first.Action, 0, 0, default) // no argument code needed
                    : new(n, default, i, j - i, segment.Abi));
                cursor = n + 1;
                i = j;
            }
        }
        Fill(cursor, NumberSpace);
    }

    /// <summary>A balanced search over ranges[from..to) with the syscall number in A; returns its first instruction.</summary>
    static int Tree(FilterAssembler asm, Layout layout, int from, int to)
    {
        if (to - from == 1)
        {
            var range = layout.Ranges[from];
            return range.IsFixed ? asm.ReturnHere(range.Action) : RuleChain(asm, layout, range);
        }
        int middle = (from + to) / 2;
        int right = Tree(asm, layout, middle, to);
        int left = Tree(asm, layout, from, middle);
        return asm.Jump(BpfInstruction.JumpIfGreaterOrEqual, (uint)layout.Ranges[middle].Start, right, left);
    }

    /// <summary>The rules of one syscall, first match wins; an unconditional rule ends the chain.</summary>
    static int RuleChain(FilterAssembler asm, Layout layout, Range group)
    {
        var set = layout.Set;
        bool wide = Architectures.HasWideArguments(group.Abi);
        int count = 0;
        while (count < group.KeyCount)
            if (set.Rule(set.KeyAt(group.KeyStart + count++)).IsUnconditional) break; // later rules never run
        var lastRule = set.Rule(set.KeyAt(group.KeyStart + count - 1));
        int next = asm.ReturnHere(lastRule.IsUnconditional ? lastRule.Action : layout.Default);
        for (int i = lastRule.IsUnconditional ? count - 2 : count - 1; i >= 0; i--)
        {
            var rule = set.Rule(set.KeyAt(group.KeyStart + i));
            int target = asm.Return(rule.Action);
            for (int c = rule.Conditions.Length - 1; c >= 0; c--)
                target = ArgumentComparison.Emit(asm, rule.Conditions[c], wide, target, next);
            next = target;
        }
        return next;
    }
}
