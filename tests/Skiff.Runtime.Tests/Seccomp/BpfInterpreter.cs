using Skiff.Runtime.Seccomp;

namespace Skiff.Runtime.Tests.Seccomp;

/// <summary>The input of a seccomp filter (<c>struct seccomp_data</c>).</summary>
public sealed record SyscallInput(int Nr, uint Arch, ulong[] Args, ulong InstructionPointer = 0)
{
    public static SyscallInput X86_64(int nr, params ulong[] args) => new(nr, Architectures.AuditArchX86_64, Pad(args));
    public static SyscallInput I386(int nr, params ulong[] args) => new(nr, Architectures.AuditArchI386, Pad(args));
    public static SyscallInput X32(int nr, params ulong[] args) => new(nr | (int)Architectures.X32SyscallBit, Architectures.AuditArchX86_64, Pad(args));

    static ulong[] Pad(ulong[] args) { var a = new ulong[6]; args.CopyTo(a, 0); return a; }

    public uint Word(uint offset) => offset switch
    {
        SeccompData.Nr => (uint)Nr,
        SeccompData.Arch => Arch,
        SeccompData.InstructionPointer => (uint)InstructionPointer,
        SeccompData.InstructionPointer + 4 => (uint)(InstructionPointer >> 32),
        >= SeccompData.Args and < SeccompData.Size when offset % 4 == 0 =>
            (offset - SeccompData.Args) % 8 == 0 ? (uint)Args[(offset - SeccompData.Args) / 8] : (uint)(Args[(offset - SeccompData.Args) / 8] >> 32),
        _ => throw new InvalidOperationException($"load from offset {offset} is outside seccomp_data or unaligned"),
    };
}

/// <summary>
/// A classic-BPF interpreter with the seccomp checker's rules (only forward jumps, only loads from
/// seccomp_data, every path ends in ret): runs a compiled program on one input and returns the action.
/// </summary>
public static class BpfInterpreter
{
    public static uint Run(SeccompProgram program, SyscallInput input) => Run(program, input, out _);

    public static uint Run(SeccompProgram program, SyscallInput input, out int steps) => Run(program, input, out steps, out _);

    /// <summary>
    /// Runs the program. <paramref name="archMisused"/> tells that a jump compared the architecture word with
    /// something that is not an audit arch: a program that forgot to load the syscall number (libseccomp 2.5.4
    /// emits such programs for some x86_64 + x32 + x86 profiles).
    /// </summary>
    public static uint Run(SeccompProgram program, SyscallInput input, out int steps, out bool archMisused)
    {
        uint a = 0;
        int pc = 0;
        uint loadedFrom = uint.MaxValue;
        steps = 0;
        archMisused = false;
        while (true)
        {
            if (pc < 0 || pc >= program.Length) throw new InvalidOperationException($"pc {pc} ran off the program ({program.Length} instructions)");
            var i = program[pc];
            steps++;
            switch (i.Code)
            {
                case BpfInstruction.LoadWordAbsolute: a = input.Word(i.K); loadedFrom = i.K; pc++; break;
                case BpfInstruction.AndConstant: a &= i.K; pc++; break;
                case BpfInstruction.JumpAlways: pc += 1 + (int)i.K; break;
                case BpfInstruction.JumpIfEqual:
                    archMisused |= loadedFrom == SeccompData.Arch && i.K is not (Architectures.AuditArchX86_64 or Architectures.AuditArchI386 or 0x4000003E);
                    pc += 1 + (a == i.K ? i.Jt : i.Jf);
                    break;
                case BpfInstruction.JumpIfGreater: archMisused |= loadedFrom == SeccompData.Arch; pc += 1 + (a > i.K ? i.Jt : i.Jf); break;
                case BpfInstruction.JumpIfGreaterOrEqual: archMisused |= loadedFrom == SeccompData.Arch; pc += 1 + (a >= i.K ? i.Jt : i.Jf); break;
                case BpfInstruction.JumpIfBitsSet: archMisused |= loadedFrom == SeccompData.Arch; pc += 1 + ((a & i.K) != 0 ? i.Jt : i.Jf); break;
                case BpfInstruction.ReturnConstant: return i.K;
                default: throw new InvalidOperationException($"instruction {pc}: opcode 0x{i.Code:x} not allowed in seccomp");
            }
        }
    }

    /// <summary>Static checks the kernel's seccomp_check_filter/bpf_check_classic would do.</summary>
    public static void Verify(SeccompProgram program)
    {
        if (program.Length is 0 or > 4096) throw new InvalidOperationException($"length {program.Length}");
        for (int pc = 0; pc < program.Length; pc++)
        {
            var i = program[pc];
            long[] targets = i.Code switch
            {
                BpfInstruction.JumpAlways => [pc + 1L + i.K],
                BpfInstruction.JumpIfEqual or BpfInstruction.JumpIfGreater or BpfInstruction.JumpIfGreaterOrEqual or BpfInstruction.JumpIfBitsSet
                    => [pc + 1L + i.Jt, pc + 1L + i.Jf],
                _ => [],
            };
            foreach (var t in targets)
                if (t >= program.Length) throw new InvalidOperationException($"instruction {pc} jumps to {t}, past the end");
            if (i.Code == BpfInstruction.LoadWordAbsolute && (i.K % 4 != 0 || i.K >= SeccompData.Size))
                throw new InvalidOperationException($"instruction {pc} loads offset {i.K}");
        }
        if (program[program.Length - 1].Code is not (BpfInstruction.ReturnConstant or BpfInstruction.JumpAlways))
            throw new InvalidOperationException("the last instruction does not return");
        if (program[program.Length - 1].Code != BpfInstruction.ReturnConstant)
            throw new InvalidOperationException("the program does not end in ret");
    }
}
