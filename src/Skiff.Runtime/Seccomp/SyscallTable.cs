namespace Skiff.Runtime.Seccomp;

/// <summary>
/// Syscall names → numbers per ABI, generated from the kernel headers Debian ships (linux-libc-dev) by
/// <c>gen/syscall-tables.py</c>. A name the table does not know (a newer syscall, or one of another
/// architecture) gives -1 and its rules are ignored, as libseccomp and runc do.
/// </summary>
internal static partial class SyscallTable
{
    public static int Number(SyscallAbi abi, string name) => abi switch
    {
        SyscallAbi.X86_64 => X86_64(name),
        SyscallAbi.X86 => X86(name),
        SyscallAbi.X32 => X32(name),
        _ => -1,
    };

    public static (string Name, int Number)[] Entries(SyscallAbi abi) => abi switch
    {
        SyscallAbi.X86_64 => X86_64Entries(),
        SyscallAbi.X86 => X86Entries(),
        SyscallAbi.X32 => X32Entries(),
        _ => [],
    };
}
