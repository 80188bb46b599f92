namespace Skiff.Runtime.Seccomp;

/// <summary>
/// Emits the BPF for one argument condition. BPF compares 32-bit words, so a 64-bit comparison is done on the
/// high half first and decided there unless the halves are equal, then on the low half, as libseccomp does:
/// <c>a &gt; v</c> ⇔ <c>ah &gt; vh ∨ (ah = vh ∧ al &gt; vl)</c>, <c>a = v</c> ⇔ <c>ah = vh ∧ al = vl</c>; NE, LE and LT
/// are the negations of EQ, GT and GE (same code, targets swapped). On 32-bit ABIs (x86, x32) only the low
/// halves are compared, as libseccomp does.
/// </summary>
internal static class ArgumentComparison
{
    /// <summary>Writes code that jumps to <paramref name="pass"/> when the condition holds, else to <paramref name="fail"/>.</summary>
    public static int Emit(FilterAssembler asm, ArgumentCondition c, bool wide, int pass, int fail)
    {
        uint lo = SeccompData.ArgLow(c.Index), hi = SeccompData.ArgHigh(c.Index);
        uint vl = (uint)c.Value, vh = (uint)(c.Value >> 32);
        switch (c.Operator)
        {
            case SeccompOperator.Equal: return Equal(asm, wide, lo, hi, vl, vh, pass, fail);
            case SeccompOperator.NotEqual: return Equal(asm, wide, lo, hi, vl, vh, fail, pass);
            case SeccompOperator.GreaterThan: return Greater(asm, wide, BpfInstruction.JumpIfGreater, lo, hi, vl, vh, pass, fail);
            case SeccompOperator.LessOrEqual: return Greater(asm, wide, BpfInstruction.JumpIfGreater, lo, hi, vl, vh, fail, pass);
            case SeccompOperator.GreaterOrEqual: return Greater(asm, wide, BpfInstruction.JumpIfGreaterOrEqual, lo, hi, vl, vh, pass, fail);
            case SeccompOperator.LessThan: return Greater(asm, wide, BpfInstruction.JumpIfGreaterOrEqual, lo, hi, vl, vh, fail, pass);
            case SeccompOperator.MaskedEqual:
            {
                ulong mask = c.Value, datum = c.ValueTwo & mask; // libseccomp masks the datum too
                int next = pass;
                if ((uint)mask != 0) next = MaskedWord(asm, lo, (uint)mask, (uint)datum, next, fail);
                if (wide && (uint)(mask >> 32) != 0) next = MaskedWord(asm, hi, (uint)(mask >> 32), (uint)(datum >> 32), next, fail);
                return next; // a zero mask always matches
            }
            default: throw new ArgumentOutOfRangeException(nameof(c));
        }
    }

    static int Equal(FilterAssembler asm, bool wide, uint lo, uint hi, uint vl, uint vh, int yes, int no)
    {
        asm.Jump(BpfInstruction.JumpIfEqual, vl, yes, no);
        int low = asm.Load(lo);
        if (!wide) return low;
        asm.Jump(BpfInstruction.JumpIfEqual, vh, low, no);
        return asm.Load(hi);
    }

    /// <summary><paramref name="code"/> is jgt or jge: the strict/non-strict test applied to the low half.</summary>
    static int Greater(FilterAssembler asm, bool wide, ushort code, uint lo, uint hi, uint vl, uint vh, int yes, int no)
    {
        asm.Jump(code, vl, yes, no);
        int low = asm.Load(lo);
        if (!wide) return low;
        int equalHigh = asm.Jump(BpfInstruction.JumpIfEqual, vh, low, no);
        asm.Jump(BpfInstruction.JumpIfGreater, vh, yes, equalHigh);
        return asm.Load(hi);
    }

    static int MaskedWord(FilterAssembler asm, uint offset, uint mask, uint datum, int yes, int no)
    {
        asm.Jump(BpfInstruction.JumpIfEqual, datum, yes, no);
        asm.And(mask);
        return asm.Load(offset);
    }
}
