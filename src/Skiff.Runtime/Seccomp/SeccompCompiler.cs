using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Seccomp;

/// <summary>
/// Compiles <c>linux.seccomp</c> into a classic-BPF program without libseccomp. Behaviour follows
/// libseccomp/runc where they define it (action and errno defaults, unknown syscall names ignored, native
/// arch always filtered, x32 handling, the ENOSYS stub, SPEC_ALLOW by default); see <see cref="FilterLayout"/>
/// for the program's shape. Rules for the same syscall are tried in their order in the spec and the first
/// that matches decides; the conditions of one rule are ANDed, also when several test the same argument
/// (runc would split those into separate, ORed rules).
/// </summary>
public static class SeccompCompiler
{
    const string Field = "linux.seccomp";

    /// <summary>runc's rule: no default action and no syscalls means no filter at all.</summary>
    public static bool IsDisabled(Spec.Seccomp? spec) =>
        spec is null || (string.IsNullOrEmpty(spec.DefaultAction) && (spec.Syscalls is null || spec.Syscalls.Count == 0));

    /// <summary>Compiles <paramref name="spec"/>; throws <see cref="SpecException"/> naming the bad field.</summary>
    public static SeccompProgram Compile(Spec.Seccomp spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var defaultAction = SeccompAction.Parse(spec.DefaultAction, spec.DefaultErrnoRet, $"{Field}.defaultAction", $"{Field}.defaultErrnoRet");
        if (defaultAction.IsNotify)
            throw new SpecException($"{Field}.defaultAction", "SCMP_ACT_NOTIFY cannot be the default action (the runtime itself must still write after the filter is installed)");
        var abis = Architectures.Parse(spec.Architectures, $"{Field}.architectures");
        if (!string.IsNullOrEmpty(spec.ListenerMetadata) && string.IsNullOrEmpty(spec.ListenerPath))
            throw new SpecException($"{Field}.listenerMetadata", "set without listenerPath");

        var rules = new Dictionary<SyscallAbi, SortedDictionary<int, SyscallRules>>
        {
            [SyscallAbi.X86_64] = [], [SyscallAbi.X86] = [], [SyscallAbi.X32] = [],
        };
        var syscalls = spec.Syscalls ?? [];
        for (int i = 0; i < syscalls.Count; i++)
        {
            string field = $"{Field}.syscalls[{i}]";
            var entry = syscalls[i] ?? throw new SpecException(field, "null instead of an object");
            var action = SeccompAction.Parse(entry.Action, entry.ErrnoRet, $"{field}.action", $"{field}.errnoRet");
            var conditions = Conditions(entry.Args, field);
            if (entry.Names is null || entry.Names.Count == 0) throw new SpecException($"{field}.names", "must list at least one syscall");
            for (int j = 0; j < entry.Names.Count; j++)
            {
                var name = entry.Names[j];
                if (string.IsNullOrEmpty(name)) throw new SpecException($"{field}.names[{j}]", "empty syscall name");
                if (action.IsNotify && name == "write")
                    throw new SpecException($"{field}.action", "SCMP_ACT_NOTIFY cannot be used for \"write\" (the runtime must write after the filter is installed)");
                foreach (var abi in abis)
                {
                    int nr = SyscallTable.Number(abi, name);
                    if (nr < 0) continue; // unknown to this ABI (newer kernel, other arch): ignored like runc
                    var table = rules[abi];
                    if (!table.TryGetValue(nr, out var forNumber))
                        table[nr] = forNumber = new SyscallRules(nr, Architectures.HasWideArguments(abi));
                    forNumber.Rules.Add(new SyscallRule(action, conditions));
                }
            }
        }

        var program = FilterLayout.Build(abis, defaultAction, rules);
        if (program.Length > Linux.Seccomp.MaxInstructions)
            throw new SpecException(Field, $"the filter needs {program.Length} BPF instructions, more than the kernel's {Linux.Seccomp.MaxInstructions}");
        bool hasNotify = Array.Exists(program, i => i.Code == BpfInstruction.ReturnConstant && new SeccompAction(i.K).IsNotify);
        if (hasNotify && string.IsNullOrEmpty(spec.ListenerPath))
            throw new SpecException($"{Field}.listenerPath", "required when a rule uses SCMP_ACT_NOTIFY (the runtime sends the listener fd there)");
        uint flags = FilterFlags.Parse(spec.Flags, hasNotify, $"{Field}.flags");
        return new SeccompProgram(program, flags, hasNotify);
    }

    static ArgumentCondition[] Conditions(List<SeccompArg>? args, string field)
    {
        if (args is null || args.Count == 0) return [];
        var conditions = new ArgumentCondition[args.Count];
        for (int j = 0; j < args.Count; j++)
        {
            string argField = $"{field}.args[{j}]";
            var arg = args[j] ?? throw new SpecException(argField, "null instead of an object");
            if (arg.Index >= ArgumentCondition.MaxArguments)
                throw new SpecException($"{argField}.index", $"{arg.Index} is out of range (a syscall has {ArgumentCondition.MaxArguments} arguments, 0..5)");
            var op = Operators.Parse(arg.Op, $"{argField}.op");
            conditions[j] = new ArgumentCondition((int)arg.Index, op, arg.Value, arg.ValueTwo);
        }
        return conditions;
    }
}
