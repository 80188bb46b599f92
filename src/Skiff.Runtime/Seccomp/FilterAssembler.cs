namespace Skiff.Runtime.Seccomp;

/// <summary>
/// Builds a BPF program from its end towards its start. Seccomp programs only jump forward, so when an
/// instruction is written every target already exists and its distance is known. A label is an instruction's
/// position counted from the end of the program. Conditional jumps reach 255 instructions; a farther target
/// gets a <c>ja</c> trampoline (32-bit offset) next to the jump.
/// </summary>
internal sealed class FilterAssembler
{
    BpfInstruction[] reversed;
    // The most recent ret of each action (a handful of distinct actions per program).
    readonly List<(uint Action, int Label)> lastReturn = new(8);

    public FilterAssembler(int expectedLength) => reversed = new BpfInstruction[Math.Max(16, expectedLength)];

    /// <summary>Some ret returns SECCOMP_RET_USER_NOTIF (the filter needs a listener).</summary>
    public bool ReturnsNotify { get; private set; }

    /// <summary>Number of instructions written so far (also the label the next instruction will get).</summary>
    public int Count { get; private set; }

    int Add(BpfInstruction instruction)
    {
        if (Count == reversed.Length) Array.Resize(ref reversed, reversed.Length * 2);
        reversed[Count] = instruction;
        return Count++;
    }

    int Distance(int target) => Count - target - 1;

    public int Load(uint offset) => Add(new(BpfInstruction.LoadWordAbsolute, 0, 0, offset));

    public int And(uint mask) => Add(new(BpfInstruction.AndConstant, 0, 0, mask));

    /// <summary>A <c>ret</c>; reuses a nearby identical one instead of writing another.</summary>
    public int Return(SeccompAction action)
    {
        foreach (var (value, label) in lastReturn)
            if (value == action.Value && Distance(label) < 192) return label;
        return ReturnHere(action);
    }

    /// <summary>A <c>ret</c> written here even if an identical one exists (for straight-line code).</summary>
    public int ReturnHere(SeccompAction action)
    {
        int label = Add(new(BpfInstruction.ReturnConstant, 0, 0, action.Value));
        ReturnsNotify |= action.IsNotify;
        for (int i = 0; i < lastReturn.Count; i++)
            if (lastReturn[i].Action == action.Value) { lastReturn[i] = (action.Value, label); return label; }
        lastReturn.Add((action.Value, label));
        return label;
    }

    public int JumpTo(int target) =>
        Distance(target) == 0 ? target : Add(new(BpfInstruction.JumpAlways, 0, 0, (uint)Distance(target)));

    /// <summary>A conditional jump: to <paramref name="whenTrue"/> if <c>A op k</c>, else to <paramref name="whenFalse"/>.</summary>
    public int Jump(ushort code, uint k, int whenTrue, int whenFalse)
    {
        if (whenTrue == whenFalse) return JumpTo(whenTrue);
        while (true)
        {
            int t = Distance(whenTrue), f = Distance(whenFalse);
            if (t <= byte.MaxValue && f <= byte.MaxValue) return Add(new(code, (byte)t, (byte)f, k));
            if (t > byte.MaxValue) whenTrue = Add(new(BpfInstruction.JumpAlways, 0, 0, (uint)t));
            else whenFalse = Add(new(BpfInstruction.JumpAlways, 0, 0, (uint)f));
        }
    }

    /// <summary>The program in execution order, as the kernel reads it (<c>struct sock_filter[]</c>).</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[Count * Linux.Seccomp.InstructionSize];
        for (int i = 0; i < Count; i++) reversed[Count - 1 - i].WriteTo(bytes.AsSpan(i * Linux.Seccomp.InstructionSize));
        return bytes;
    }
}
