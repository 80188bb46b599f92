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

        var syscalls = spec.Syscalls ?? [];
        int names = 0;
        foreach (var entry in syscalls) names += entry?.Names?.Count ?? 0;
        var set = new SyscallSet(abis, names, syscalls.Count);
        for (int i = 0; i < syscalls.Count; i++)
        {
            try { AddEntry(set, syscalls[i]); }
            // Field paths are only spelt out for the error (this loop runs on every container start).
            catch (SpecException e) { throw new SpecException($"{Field}.syscalls[{i}]{e.Field}", e.Reason); }
        }
        set.Seal();

        var bytes = FilterLayout.Build(abis, defaultAction, set, out bool hasNotify);
        int length = bytes.Length / Linux.Seccomp.InstructionSize;
        if (length > Linux.Seccomp.MaxInstructions)
            throw new SpecException(Field, $"the filter needs {length} BPF instructions, more than the kernel's {Linux.Seccomp.MaxInstructions}");
        if (hasNotify && string.IsNullOrEmpty(spec.ListenerPath))
            throw new SpecException($"{Field}.listenerPath", "required when a rule uses SCMP_ACT_NOTIFY (the runtime sends the listener fd there)");
        uint flags = FilterFlags.Parse(spec.Flags, hasNotify, $"{Field}.flags");
        return new SeccompProgram(bytes, flags, hasNotify);
    }

    /// <summary>One entry of <c>syscalls</c>; errors name the field relative to the entry (".action").</summary>
    static void AddEntry(SyscallSet set, SeccompSyscall? entry)
    {
        if (entry is null) throw new SpecException("", "null instead of an object");
        var action = SeccompAction.Parse(entry.Action, entry.ErrnoRet, ".action", ".errnoRet");
        int rule = set.AddRule(new SyscallRule(action, Conditions(entry.Args)));
        if (entry.Names is null || entry.Names.Count == 0) throw new SpecException(".names", "must list at least one syscall");
        for (int j = 0; j < entry.Names.Count; j++)
        {
            var name = entry.Names[j];
            if (string.IsNullOrEmpty(name)) throw new SpecException($".names[{j}]", "empty syscall name");
            if (action.IsNotify && name == "write")
                throw new SpecException(".action", "SCMP_ACT_NOTIFY cannot be used for \"write\" (the runtime must write after the filter is installed)");
            set.Add(name, rule);
        }
    }

    static ArgumentCondition[] Conditions(List<SeccompArg>? args)
    {
        if (args is null || args.Count == 0) return [];
        var conditions = new ArgumentCondition[args.Count];
        for (int j = 0; j < args.Count; j++)
        {
            string argField = $".args[{j}]";
            var arg = args[j] ?? throw new SpecException(argField, "null instead of an object");
            if (arg.Index >= ArgumentCondition.MaxArguments)
                throw new SpecException($"{argField}.index", $"{arg.Index} is out of range (a syscall has {ArgumentCondition.MaxArguments} arguments, 0..5)");
            var op = Operators.Parse(arg.Op, $"{argField}.op");
            conditions[j] = new ArgumentCondition((int)arg.Index, op, arg.Value, arg.ValueTwo);
        }
        return conditions;
    }
}
