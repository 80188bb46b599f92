using System.Text;
using Skiff.Linux;
using Skiff.Runtime.Seccomp;

// usage: SeccompProbe <filter.bpf> <flags> [--listener <socket>] <path> [args...]
//   filter.bpf: a compiled program (SeccompProgram.Bytes); flags: seccomp(2) flags (decimal or 0x hex).
// Sets no_new_privs, installs the filter on every thread (TSYNC is added: a .NET process always has
// several), sends the SCMP_ACT_NOTIFY listener to <socket> if asked, and execs <path>.
// Exit 125: usage or install error (message on stderr); 127: exec failed.
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: SeccompProbe <filter.bpf> <flags> [--listener <socket>] <path> [args...]");
    return 125;
}
int next = 2;
string? listenerPath = null;
if (args[2] == "--listener" && args.Length >= 5) { listenerPath = args[3]; next = 4; }
string[] command = args[next..];
var env = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
    .Select(e => $"{e.Key}={e.Value}").ToList();
try
{
    var filter = File.ReadAllBytes(args[0]);
    uint flags = args[1].StartsWith("0x", StringComparison.Ordinal) ? Convert.ToUInt32(args[1][2..], 16) : uint.Parse(args[1]);
    bool notify = (flags & Skiff.Linux.Seccomp.SECCOMP_FILTER_FLAG_NEW_LISTENER) != 0;
    flags = FilterFlags.Complete(flags | Skiff.Linux.Seccomp.SECCOMP_FILTER_FLAG_TSYNC, notify);
    var program = SeccompProgram.FromBytes(filter, flags);
    var state = Encoding.UTF8.GetBytes(
        $"{{\"ociVersion\":\"1.2.0\",\"fds\":[\"seccompFd\"],\"pid\":{Environment.ProcessId},\"metadata\":\"probe\"," +
        $"\"state\":{{\"ociVersion\":\"1.2.0\",\"id\":\"probe\",\"status\":\"creating\",\"pid\":{Environment.ProcessId},\"bundle\":\"/\"}}}}");
    Processes.Prctl(Processes.PR_SET_NO_NEW_PRIVS, 1);
    using var listener = program.Install();
    if (listener.IsValid && listenerPath is not null) SeccompNotify.SendListener(listenerPath, listener.Value, state);
}
catch (Exception e)
{
    Console.Error.WriteLine($"SeccompProbe: {e.Message}");
    return 125;
}
int errno = Host.Exec(command[0], command, env);
Console.Error.WriteLine($"SeccompProbe: execve {command[0]}: {Errno.Name(errno)}");
return 127;
