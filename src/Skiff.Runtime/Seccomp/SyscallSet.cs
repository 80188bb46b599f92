namespace Skiff.Runtime.Seccomp;

/// <summary>
/// The rules of a profile per ABI and syscall number, in spec order, as one sorted array of packed keys
/// (ABI, number, rule index): compact and allocation-light, since the compiler runs on every container
/// start. Names unknown to an ABI are skipped (a newer syscall, or another architecture's), as libseccomp
/// and runc do.
/// </summary>
internal sealed class SyscallSet
{
    // key = abi << 28 | number << 16 | rule, number without the x32 bit (below 4096 on every x86 ABI).
    const int RuleBits = 16, NumberBits = 12, AbiShift = RuleBits + NumberBits;
    public const int MaxRules = 1 << RuleBits;

    readonly IReadOnlyList<SyscallAbi> abis;
    readonly List<SyscallRule> rules;
    int[] keys;
    int count;

    public SyscallSet(IReadOnlyList<SyscallAbi> abis, int expectedNames, int expectedRules)
    {
        this.abis = abis;
        keys = new int[Math.Max(16, expectedNames * abis.Count)];
        rules = new List<SyscallRule>(expectedRules);
    }

    /// <summary>Registers a rule; its index orders it among the rules of the same syscall.</summary>
    public int AddRule(SyscallRule rule)
    {
        if (rules.Count == MaxRules) throw new Spec.SpecException("", $"is past the limit of {MaxRules} entries");
        rules.Add(rule);
        return rules.Count - 1;
    }

    /// <summary>Applies rule <paramref name="ruleIndex"/> to syscall <paramref name="name"/> on every filtered ABI that has it.</summary>
    public void Add(string name, int ruleIndex)
    {
        int row = SyscallTable.Row(name);
        if (row < 0) return;
        for (int a = 0; a < abis.Count; a++) // (foreach over the interface would allocate per name)
        {
            var abi = abis[a];
            int nr = SyscallTable.Number(row, abi);
            if (nr < 0) continue;
            if ((nr & ~(int)Architectures.X32SyscallBit) >= 1 << NumberBits)
                throw new InvalidOperationException($"syscall {name} = {nr} does not fit SyscallSet's {NumberBits}-bit numbers");
            if (count == keys.Length) Array.Resize(ref keys, keys.Length * 2);
            keys[count++] = (int)abi << AbiShift | (nr & ~(int)Architectures.X32SyscallBit) << RuleBits | ruleIndex;
        }
    }

    /// <summary>Sorts by ABI, number and rule order. Call once, after the last <see cref="Add"/>.</summary>
    public void Seal() => Array.Sort(keys, 0, count);

    /// <summary>Number of (syscall, rule) pairs over all ABIs.</summary>
    public int Count => count;

    /// <summary>The keys of <paramref name="abi"/>, by number then rule order.</summary>
    public ReadOnlySpan<int> Keys(SyscallAbi abi)
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

    public int KeyAt(int index) => keys[index];

    public static int Number(int key, SyscallAbi abi)
    {
        int n = (key >> RuleBits) & ((1 << NumberBits) - 1);
        return abi == SyscallAbi.X32 ? n | (int)Architectures.X32SyscallBit : n;
    }

    public SyscallRule Rule(int key) => rules[key & (MaxRules - 1)];
}
