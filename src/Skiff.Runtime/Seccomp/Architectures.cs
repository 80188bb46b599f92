namespace Skiff.Runtime.Seccomp;

/// <summary>A syscall ABI the x86_64 kernel can report in <c>seccomp_data</c>.</summary>
public enum SyscallAbi
{
    /// <summary>64-bit: AUDIT_ARCH_X86_64, numbers below __X32_SYSCALL_BIT, 64-bit arguments.</summary>
    X86_64,
    /// <summary>32-bit compat (int 0x80, sysenter): AUDIT_ARCH_I386, 32-bit arguments.</summary>
    X86,
    /// <summary>x32: AUDIT_ARCH_X86_64 with __X32_SYSCALL_BIT set in the number, 32-bit arguments (as libseccomp).</summary>
    X32,
}

/// <summary>
/// <c>linux.seccomp.architectures</c>. The compiler targets an x86_64 kernel, which only ever reports
/// AUDIT_ARCH_X86_64 (x86_64 and x32 syscalls) or AUDIT_ARCH_I386. The native x86_64 ABI is always filtered
/// (libseccomp and runc add the native arch to every filter). SCMP_ARCH_X86 and SCMP_ARCH_X32 add those ABIs.
/// The other runtime-spec architectures are accepted and ignored: the kernel never reports them here, so
/// like with libseccomp their syscalls could never match; a syscall from an ABI that is not listed
/// gets the bad-architecture action (KILL_THREAD, libseccomp's default).
/// </summary>
public static class Architectures
{
    public const uint AuditArchX86_64 = 0xC000_003E, AuditArchI386 = 0x4000_0003;
    public const uint X32SyscallBit = 0x4000_0000;

    /// <summary>What a syscall from an ABI outside the filter gets (libseccomp's SCMP_FLTATR_ACT_BADARCH default).</summary>
    public static readonly SeccompAction BadArchAction = new(SeccompAction.KillThread);

    public static readonly IReadOnlyList<string> Names =
    [
        "SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64",
        "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64",
        "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390",
        "SCMP_ARCH_S390X", "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64", "SCMP_ARCH_LOONGARCH64",
        "SCMP_ARCH_M68K", "SCMP_ARCH_SH", "SCMP_ARCH_SHEB",
    ];

    /// <summary>The ABIs to filter: always x86_64, plus x86 and x32 when listed. Unknown names are errors.</summary>
    public static IReadOnlyList<SyscallAbi> Parse(List<string>? names, string field)
    {
        var abis = new List<SyscallAbi>(3) { SyscallAbi.X86_64 };
        if (names is null) return abis;
        for (int i = 0; i < names.Count; i++)
        {
            var name = names[i];
            SyscallAbi? abi = name switch
            {
                "SCMP_ARCH_X86_64" => SyscallAbi.X86_64,
                "SCMP_ARCH_X86" => SyscallAbi.X86,
                "SCMP_ARCH_X32" => SyscallAbi.X32,
                _ when Names.Contains(name) => null, // a foreign architecture: never reported on x86_64
                _ => throw new Spec.SpecException($"{field}[{i}]", $"unknown architecture \"{name}\" (known: {string.Join(", ", Names)})"),
            };
            if (abi is { } a && !abis.Contains(a)) abis.Add(a);
        }
        return abis;
    }

    public static uint AuditArch(SyscallAbi abi) => abi == SyscallAbi.X86 ? AuditArchI386 : AuditArchX86_64;

    /// <summary>libseccomp compares only the low 32 bits of arguments on 32-bit ABIs (x86 and x32).</summary>
    public static bool HasWideArguments(SyscallAbi abi) => abi == SyscallAbi.X86_64;
}
