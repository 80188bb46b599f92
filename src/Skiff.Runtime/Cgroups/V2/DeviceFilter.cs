using Skiff.Linux;
using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Cgroups.V2;

/// <summary>
/// The v2 devices controller: an eBPF program of type BPF_PROG_TYPE_CGROUP_DEVICE assembled here and attached to
/// the cgroup. Semantics are the v1 list's: rules apply in order and the last rule that covers an access wins, decided
/// for each requested access bit (mknod, read, write) separately; an access no rule covers is denied.
/// </summary>
public static class DeviceFilter
{
    // struct bpf_cgroup_dev_ctx { u32 access_type /* type | access << 16 */; u32 major; u32 minor; }
    const int DevBlock = 1, DevChar = 2;
    const int R0 = 0, R1 = 1, R2 = 2, R3 = 3, R4 = 4, R5 = 5, R6 = 6;

    /// <summary>Compiles the rules to eBPF instructions (raw 8-byte words).</summary>
    public static ulong[] Compile(IReadOnlyList<DevicePermission> rules)
    {
        var a = new Assembler();
        a.Emit(LoadWord(R2, R1, 0));          // w2 = ctx->access_type
        a.Emit(Mov32Reg(R3, R2));             // w3 = w2
        a.Emit(Alu32Imm(0x50, R2, 0xFFFF));   // w2 &= 0xffff    → device type
        a.Emit(Alu32Imm(0x70, R3, 16));       // w3 >>= 16       → requested access
        a.Emit(LoadWord(R4, R1, 4));          // w4 = ctx->major
        a.Emit(LoadWord(R5, R1, 8));          // w5 = ctx->minor
        foreach (int bit in (int[])[DevicePermission.Mknod, DevicePermission.Read, DevicePermission.Write])
        {
            var done = $"done{bit}";
            a.Emit(Mov32Reg(R6, R3));
            a.Emit(Alu32Imm(0x50, R6, bit));
            a.Jump(Jmp32Imm(0x10, R6, 0), done); // access not requested → next bit
            bool decided = false;
            for (int i = rules.Count - 1; i >= 0 && !decided; i--)
            {
                var r = rules[i];
                if ((r.Access & bit) == 0) continue;
                var next = $"next{bit}_{i}";
                bool conditional = false;
                if (r.Type != 'a') { a.Jump(Jmp32Imm(0x50, R2, r.Type == 'b' ? DevBlock : DevChar), next); conditional = true; }
                if (r.Major is { } maj) { a.Jump(Jmp32Imm(0x50, R4, unchecked((int)(uint)maj)), next); conditional = true; }
                if (r.Minor is { } min) { a.Jump(Jmp32Imm(0x50, R5, unchecked((int)(uint)min)), next); conditional = true; }
                if (r.Allow) a.Jump(Ja(), done);
                else { a.Emit(Mov64Imm(R0, 0)); a.Emit(Exit()); }
                if (conditional) a.Label(next);
                else decided = true; // a rule matching every device ends this bit: anything after it is unreachable
            }
            if (!decided) { a.Emit(Mov64Imm(R0, 0)); a.Emit(Exit()); }
            a.Label(done);
        }
        a.Emit(Mov64Imm(R0, 1));
        a.Emit(Exit());
        return a.Finish();
    }

    /// <summary>
    /// Loads the program for <paramref name="rules"/> and attaches it to the cgroup <paramref name="dir"/>
    /// (BPF_F_ALLOW_MULTI), then detaches the programs that were attached there before (an update replaces them).
    /// </summary>
    public static void Attach(string dir, IEnumerable<DeviceRule> rules)
    {
        var permissions = rules.Select(DevicePermission.From).ToList();
        var insns = Compile(permissions);
        try
        {
            using var prog = Bpf.LoadProgram(Bpf.BPF_PROG_TYPE_CGROUP_DEVICE, insns, "Apache-2.0", Bpf.BPF_CGROUP_DEVICE);
            using var cg = Files.Open(dir, Files.O_RDONLY | Files.O_DIRECTORY);
            var old = Bpf.QueryAttached(cg.Value, Bpf.BPF_CGROUP_DEVICE, dir);
            Bpf.Attach(cg.Value, prog.Value, Bpf.BPF_CGROUP_DEVICE, Bpf.BPF_F_ALLOW_MULTI, dir);
            foreach (var id in old)
            {
                using var o = Bpf.ProgramById(id, out int e);
                if (o.IsValid) Bpf.Detach(cg.Value, o.Value, Bpf.BPF_CGROUP_DEVICE);
            }
        }
        catch (LinuxException e)
        {
            throw new CgroupException("devices", dir, $"{permissions.Count} rules ({insns.Length} instructions)", e.Errno,
                e.Message, e);
        }
    }

    // --- instruction encoding: struct bpf_insn { u8 code; u8 dst:4, src:4; s16 off; s32 imm; } ---
    static ulong Insn(int code, int dst, int src, short off, int imm)
        => (ulong)(byte)code | (ulong)(byte)(dst | src << 4) << 8 | (ulong)(ushort)off << 16 | (ulong)(uint)imm << 32;

    static ulong LoadWord(int dst, int src, short off) => Insn(0x61, dst, src, off, 0);   // BPF_LDX|BPF_W|BPF_MEM
    static ulong Mov32Reg(int dst, int src) => Insn(0xbc, dst, src, 0, 0);                // BPF_ALU|BPF_MOV|BPF_X
    static ulong Alu32Imm(int op, int dst, int imm) => Insn(0x04 | op, dst, 0, 0, imm);   // BPF_ALU|op|BPF_K
    static ulong Mov64Imm(int dst, int imm) => Insn(0xb7, dst, 0, 0, imm);                // BPF_ALU64|BPF_MOV|BPF_K
    static ulong Jmp32Imm(int op, int dst, int imm) => Insn(0x06 | op, dst, 0, 0, imm);   // BPF_JMP32|op|BPF_K
    static ulong Ja() => Insn(0x05, 0, 0, 0, 0);                                          // BPF_JMP|BPF_JA
    static ulong Exit() => Insn(0x95, 0, 0, 0, 0);                                        // BPF_JMP|BPF_EXIT

    /// <summary>Collects instructions, then patches jump offsets once every label is placed.</summary>
    sealed class Assembler
    {
        readonly List<ulong> code = new();
        readonly List<(int At, string Label)> jumps = new();
        readonly Dictionary<string, int> labels = new();

        public void Emit(ulong insn) => code.Add(insn);
        public void Jump(ulong insn, string label) { jumps.Add((code.Count, label)); code.Add(insn); }
        public void Label(string name) => labels[name] = code.Count;

        public ulong[] Finish()
        {
            foreach (var (at, label) in jumps)
            {
                int off = labels[label] - (at + 1);
                if (off > short.MaxValue) throw new CgroupException("devices", "too many device rules for one eBPF program");
                code[at] = code[at] & ~(0xFFFFUL << 16) | (ulong)(ushort)(short)off << 16;
            }
            return code.ToArray();
        }
    }
}
