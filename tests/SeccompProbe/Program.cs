using Skiff.Linux;
using Skiff.Runtime.Seccomp;

// usage: SeccompProbe <filter.bpf> <flags> <path> [args...]
//   filter.bpf: a compiled program (SeccompProgram.Bytes); flags: seccomp(2) flags (decimal or 0x hex).
// Sets no_new_privs, installs the filter on every thread (TSYNC is added: a .NET process always has
// several) and execs <path>. Exit 125: usage or install error (message on stderr); 127: exec failed.
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: SeccompProbe <filter.bpf> <flags> <path> [args...]");
    return 125;
}
try
{
    var filter = File.ReadAllBytes(args[0]);
    uint flags = args[1].StartsWith("0x", StringComparison.Ordinal) ? Convert.ToUInt32(args[1][2..], 16) : uint.Parse(args[1]);
    flags = FilterFlags.Complete(flags | Skiff.Linux.Seccomp.SECCOMP_FILTER_FLAG_TSYNC, hasNotify: false);
    var program = SeccompProgram.FromBytes(filter, flags);
    Processes.Prctl(Processes.PR_SET_NO_NEW_PRIVS, 1);
    using var listener = program.Install();
}
catch (Exception e)
{
    Console.Error.WriteLine($"SeccompProbe: {e.Message}");
    return 125;
}
var env = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
    .Select(e => $"{e.Key}={e.Value}").ToList();
int errno = Host.Exec(args[2], args[2..], env);
Console.Error.WriteLine($"SeccompProbe: execve {args[2]}: {Errno.Name(errno)}");
return 127;
