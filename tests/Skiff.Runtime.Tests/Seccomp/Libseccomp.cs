using System.Runtime.InteropServices;
using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Tests.Seccomp;

/// <summary>
/// Test-only binding of Debian's libseccomp2 (installed with runc), used as an oracle: the same profile built
/// with libseccomp, exported as BPF and run in <see cref="BpfInterpreter"/> must decide like our program.
/// Skiff itself never loads libseccomp.
/// </summary>
public static unsafe partial class Libseccomp
{
    const string Lib = "libseccomp.so.2";
    public const uint ArchX86_64 = 0xC000003E, ArchX86 = 0x40000003, ArchX32 = 0x4000003E;

    [LibraryImport(Lib)] private static partial nint seccomp_init(uint defaultAction);
    [LibraryImport(Lib)] private static partial void seccomp_release(nint ctx);
    [LibraryImport(Lib)] private static partial int seccomp_arch_add(nint ctx, uint arch);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] private static partial int seccomp_syscall_resolve_name(string name);
    [LibraryImport(Lib)] private static partial int seccomp_rule_add_array(nint ctx, uint action, int syscall, uint count, ArgCmp* args);
    [LibraryImport(Lib)] private static partial int seccomp_export_bpf(nint ctx, int fd);

    [StructLayout(LayoutKind.Sequential)]
    struct ArgCmp { public uint Arg; public int Op; public ulong DatumA; public ulong DatumB; }

    public static bool Available => NativeLibrary.TryLoad(Lib, out _);

    static int Op(string op) => op switch
    {
        "SCMP_CMP_NE" => 1, "SCMP_CMP_LT" => 2, "SCMP_CMP_LE" => 3, "SCMP_CMP_EQ" => 4,
        "SCMP_CMP_GE" => 5, "SCMP_CMP_GT" => 6, "SCMP_CMP_MASKED_EQ" => 7, _ => throw new ArgumentException(op),
    };

    /// <summary>
    /// Builds the profile with libseccomp as runc does (native syscall numbers, unknown names skipped) and returns
    /// the exported program, or null with the index of the first rule libseccomp refused.
    /// </summary>
    public static byte[]? Export(Spec.Seccomp spec, out int refusedRule)
    {
        refusedRule = -1;
        nint ctx = seccomp_init(ReferenceFilter.ActionOf(spec.DefaultAction!, spec.DefaultErrnoRet));
        if (ctx == 0) throw new InvalidOperationException("seccomp_init failed");
        try
        {
            foreach (var arch in spec.Architectures ?? [])
            {
                uint token = arch switch { "SCMP_ARCH_X86" => ArchX86, "SCMP_ARCH_X32" => ArchX32, "SCMP_ARCH_X86_64" => ArchX86_64, _ => 0 };
                if (token == 0) continue;
                int rc = seccomp_arch_add(ctx, token);
                if (rc != 0 && rc != -17 /* EEXIST: native */) throw new InvalidOperationException($"seccomp_arch_add {arch}: {rc}");
            }
            var rules = spec.Syscalls ?? [];
            for (int i = 0; i < rules.Count; i++)
            {
                var rule = rules[i];
                uint action = ReferenceFilter.ActionOf(rule.Action!, rule.ErrnoRet);
                var args = (rule.Args ?? []).Select(a => new ArgCmp { Arg = a.Index, Op = Op(a.Op!), DatumA = a.Value, DatumB = a.ValueTwo }).ToArray();
                foreach (var name in rule.Names!)
                {
                    int nr = seccomp_syscall_resolve_name(name);
                    if (nr == -1) continue; // __NR_SCMP_ERROR: unknown, ignored like runc
                    fixed (ArgCmp* p = args)
                        if (seccomp_rule_add_array(ctx, action, nr, (uint)args.Length, p) != 0) { refusedRule = i; return null; }
                }
            }
            var path = Path.Combine(Path.GetTempPath(), $"skiff-libseccomp-{Guid.NewGuid():N}.bpf");
            try
            {
                using (var file = File.OpenHandle(path, FileMode.Create, FileAccess.ReadWrite))
                {
                    int rc = seccomp_export_bpf(ctx, (int)file.DangerousGetHandle());
                    if (rc != 0) throw new InvalidOperationException($"seccomp_export_bpf: {rc}");
                }
                return File.ReadAllBytes(path);
            }
            finally { File.Delete(path); }
        }
        finally { seccomp_release(ctx); }
    }
}
