using System.Text;
using Skiff.Linux;

namespace Skiff.Runtime.Seccomp;

/// <summary>
/// A compiled seccomp filter: the <c>struct sock_filter</c> array and the seccomp(2) flags to load it with.
/// Compile before forking (errors come out before anything is made); install as late as possible, just
/// before execve.
/// </summary>
public sealed class SeccompProgram
{
    readonly byte[] bytes;

    internal SeccompProgram(byte[] bytes, uint flags, bool hasNotify)
    {
        this.bytes = bytes;
        Flags = flags;
        HasNotify = hasNotify;
    }

    /// <summary>Number of BPF instructions (the kernel accepts at most 4096).</summary>
    public int Length => bytes.Length / Linux.Seccomp.InstructionSize;

    /// <summary>SECCOMP_FILTER_FLAG_* for seccomp(2), NEW_LISTENER included when <see cref="HasNotify"/>.</summary>
    public uint Flags { get; }

    /// <summary>Some rule returns SCMP_ACT_NOTIFY: <see cref="Install"/> returns a listener fd.</summary>
    public bool HasNotify { get; }

    /// <summary>The program as the kernel reads it (8 bytes per instruction, host endian).</summary>
    public ReadOnlySpan<byte> Bytes => bytes;

    public BpfInstruction this[int index] => BpfInstruction.ReadFrom(bytes.AsSpan(index * Linux.Seccomp.InstructionSize));

    /// <summary>
    /// A program compiled elsewhere (e.g. handed to the container's init over a pipe). Flags are taken as
    /// given; <see cref="HasNotify"/> is read from the program.
    /// </summary>
    public static SeccompProgram FromBytes(ReadOnlySpan<byte> filter, uint flags)
    {
        if (filter.Length == 0 || filter.Length % Linux.Seccomp.InstructionSize != 0 || filter.Length / Linux.Seccomp.InstructionSize > Linux.Seccomp.MaxInstructions)
            throw new ArgumentException($"not a seccomp filter: {filter.Length} bytes", nameof(filter));
        bool notify = false;
        for (int i = 0; i < filter.Length; i += Linux.Seccomp.InstructionSize)
        {
            var instruction = BpfInstruction.ReadFrom(filter[i..]);
            notify |= instruction.Code == BpfInstruction.ReturnConstant && new SeccompAction(instruction.K).IsNotify;
        }
        return new SeccompProgram(filter.ToArray(), flags, notify);
    }

    /// <summary>
    /// Loads the filter into the calling thread (every thread with SECCOMP_FILTER_FLAG_TSYNC). The caller must
    /// have set no_new_privs or hold CAP_SYS_ADMIN. Returns the notification listener when
    /// <see cref="HasNotify"/>, otherwise <see cref="Fd.None"/>.
    /// </summary>
    public Fd Install() => Linux.Seccomp.SetModeFilter(Flags, bytes);

    /// <summary>One instruction per line, numbered, jump targets resolved: for debugging and bug reports.</summary>
    public string Disassemble()
    {
        var text = new StringBuilder(Length * 32);
        for (int i = 0; i < Length; i++)
        {
            var ins = this[i];
            text.Append(i.ToString().PadLeft(4)).Append(": ");
            text.Append(ins.Code switch
            {
                BpfInstruction.JumpAlways => $"ja {i + 1 + ins.K}",
                BpfInstruction.JumpIfEqual or BpfInstruction.JumpIfGreater or BpfInstruction.JumpIfGreaterOrEqual or BpfInstruction.JumpIfBitsSet
                    => $"{ins.ToString().Split(' ')[0]} #0x{ins.K:x} true {i + 1 + ins.Jt} false {i + 1 + ins.Jf}",
                BpfInstruction.ReturnConstant => $"ret {new SeccompAction(ins.K)}",
                _ => ins.ToString(),
            });
            text.Append('\n');
        }
        return text.ToString();
    }
}
