using System.Buffers.Binary;

namespace Skiff.Runtime.Seccomp;

/// <summary>One classic-BPF instruction (<c>struct sock_filter</c>): opcode, two 8-bit jump offsets, constant.</summary>
public readonly record struct BpfInstruction(ushort Code, byte Jt, byte Jf, uint K)
{
    // Opcodes seccomp filters use (linux/bpf_common.h): class | size | mode, or class | op | source.
    public const ushort LoadWordAbsolute = 0x20; // BPF_LD | BPF_W | BPF_ABS
    public const ushort AndConstant = 0x54;      // BPF_ALU | BPF_AND | BPF_K
    public const ushort JumpAlways = 0x05;       // BPF_JMP | BPF_JA
    public const ushort JumpIfEqual = 0x15;      // BPF_JMP | BPF_JEQ | BPF_K
    public const ushort JumpIfGreater = 0x25;    // BPF_JMP | BPF_JGT | BPF_K (unsigned)
    public const ushort JumpIfGreaterOrEqual = 0x35; // BPF_JMP | BPF_JGE | BPF_K (unsigned)
    public const ushort JumpIfBitsSet = 0x45;    // BPF_JMP | BPF_JSET | BPF_K
    public const ushort ReturnConstant = 0x06;   // BPF_RET | BPF_K

    /// <summary>Writes the instruction in the kernel's layout (host endian, 8 bytes).</summary>
    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(destination, Code);
        destination[2] = Jt;
        destination[3] = Jf;
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], K);
    }

    public static BpfInstruction ReadFrom(ReadOnlySpan<byte> source) =>
        new(BinaryPrimitives.ReadUInt16LittleEndian(source), source[2], source[3], BinaryPrimitives.ReadUInt32LittleEndian(source[4..]));

    public override string ToString() => Code switch
    {
        LoadWordAbsolute => $"ld [{K}]",
        AndConstant => $"and #0x{K:x}",
        JumpAlways => $"ja +{K}",
        JumpIfEqual => $"jeq #0x{K:x} jt +{Jt} jf +{Jf}",
        JumpIfGreater => $"jgt #0x{K:x} jt +{Jt} jf +{Jf}",
        JumpIfGreaterOrEqual => $"jge #0x{K:x} jt +{Jt} jf +{Jf}",
        JumpIfBitsSet => $"jset #0x{K:x} jt +{Jt} jf +{Jf}",
        ReturnConstant => $"ret #0x{K:x}",
        _ => $"op 0x{Code:x2} jt {Jt} jf {Jf} k 0x{K:x}",
    };
}

/// <summary>Offsets in <c>struct seccomp_data</c> (nr, arch, instruction_pointer, args[6] of u64).</summary>
public static class SeccompData
{
    public const uint Nr = 0, Arch = 4, InstructionPointer = 8, Args = 16;
    public const int Size = 64;

    /// <summary>Offset of the low (k = 0) or high (k = 1) 32-bit half of argument <paramref name="index"/> (little endian).</summary>
    public static uint ArgLow(int index) => Args + 8 * (uint)index;
    public static uint ArgHigh(int index) => Args + 8 * (uint)index + 4;
}
