namespace Skiff.Runtime.Seccomp;

/// <summary>
/// The rules of a profile per ABI and syscall number, in spec order, as one sorted array of packed keys
/// (ABI, number, entry, multiplexer call): compact and allocation-light, since the compiler runs on every
/// container start. Names unknown to an ABI are skipped (a newer syscall, or another architecture's), as
/// libseccomp and runc do.
/// </summary>
internal sealed class SyscallSet
{
    // key = abi << 56 | number << 32 | entry << 8 | call: number without the x32 bit; call ≠ 0 for the rewritten
    // rule of an i386 multiplexer (see Multiplexers). Sorting orders by ABI, number, then spec order.
    const int AbiShift = 56, NumberShift = 32, EntryShift = 8;
    public const int MaxRules = 1 << 24;

    readonly IReadOnlyList<SyscallAbi> abis;
    readonly bool x86;
    readonly List<SyscallRule> rules;
    Dictionary<long, SyscallRule>? rewritten;
    readonly int[] highest = [-1, -1, -1];
    long[] keys;
    int count;

    public SyscallSet(IReadOnlyList<SyscallAbi> abis, int expectedNames, int expectedRules)
    {
        this.abis = abis;
        for (int a = 0; a < abis.Count; a++) x86 |= abis[a] == SyscallAbi.X86;
        keys = new long[Math.Max(16, expectedNames * abis.Count)];
        rules = new List<SyscallRule>(expectedRules);
    }

    /// <summary>Registers the rule of the next spec entry; its index orders it among the rules of a syscall.</summary>
    public int AddRule(SyscallRule rule)
    {
        if (rules.Count == MaxRules) throw new Spec.SpecException("", $"is past the limit of {MaxRules} entries");
        rules.Add(rule);
        return rules.Count - 1;
    }

    /// <summary>Applies rule <paramref name="entry"/> to syscall <paramref name="name"/> on every filtered ABI that has it.</summary>
    public void Add(string name, int entry)
    {
        int row = SyscallTable.Row(name);
        if (row >= 0)
        {
            for (int a = 0; a < abis.Count; a++) // (foreach over the interface would allocate per name)
            {
                var abi = abis[a];
                int nr = SyscallTable.Number(row, abi);
                if (nr < 0) continue;
                Append((long)abi << AbiShift | (long)(nr & ~(int)Architectures.X32SyscallBit) << NumberShift | (long)entry << EntryShift);
                if (nr > highest[(int)abi]) highest[(int)abi] = nr; // (x32 numbers with the bit are still positive)
            }
        }
        if (x86 && Multiplexers.TryGet(name, out int multiplexer, out int call))
            Append((long)SyscallAbi.X86 << AbiShift | (long)multiplexer << NumberShift | (long)entry << EntryShift | (uint)call);
    }

    void Append(long key)
    {
        if (count == keys.Length) Array.Resize(ref keys, keys.Length * 2);
        keys[count++] = key;
    }

    /// <summary>Sorts by ABI, number and rule order. Call once, after the last <see cref="Add"/>.</summary>
    public void Seal() => Array.Sort(keys, 0, count);

    /// <summary>
    /// The highest syscall number named for <paramref name="abi"/> (x32 with its bit), or -1: multiplexer rules do
    /// not count, as for runc's ENOSYS stub, which resolves names per arch without them.
    /// </summary>
    public int Highest(SyscallAbi abi) => highest[(int)abi];

    /// <summary>Number of (syscall, rule) pairs over all ABIs.</summary>
    public int Count => count;

    /// <summary>The keys of <paramref name="abi"/>, by number then rule order.</summary>
    public ReadOnlySpan<long> Keys(SyscallAbi abi)
    {
        int start = KeyOffset(abi), end = start;
        while (end < count && keys[end] >> AbiShift == (int)abi) end++;
        return keys.AsSpan(start, end - start);
    }

    /// <summary>Where the keys of <paramref name="abi"/> start.</summary>
    public int KeyOffset(SyscallAbi abi)
    {
        int start = 0;
        while (start < count && keys[start] >> AbiShift < (int)abi) start++;
        return start;
    }

    public long KeyAt(int index) => keys[index];

    public static int Number(long key, SyscallAbi abi)
    {
        int n = (int)(key >> NumberShift) & 0xffffff;
        return abi == SyscallAbi.X32 ? n | (int)Architectures.X32SyscallBit : n;
    }

    public SyscallRule Rule(long key)
    {
        var rule = rules[(int)(key >> EntryShift) & (MaxRules - 1)];
        int call = (int)(key & 0xff);
        if (call == 0) return rule;
        rewritten ??= [];
        if (!rewritten.TryGetValue(key, out var r)) rewritten[key] = r = Multiplexers.Rewrite(rule, call);
        return r;
    }
}
