using System.Runtime.InteropServices;
using System.Text.Json;
using Oar.Cli;
using Skiff.Linux;
using Skiff.Runtime;
using Skiff.Runtime.Container;
using Skiff.Runtime.Spec;

namespace Oar.Commands;

/// <summary>`exec`: runc's flags. Without --process, the container's own process is the base (env, user,
/// capabilities, no_new_privs) and the flags override it; in the foreground oar waits and returns the exit code.</summary>
public static class ExecCommand
{
    static readonly HashSet<string> ValueFlags = ["process", "p", "console-socket", "cwd", "env", "e", "user", "u",
        "additional-gids", "g", "process-label", "apparmor", "cap", "c", "preserve-fds", "pid-file", "cgroup"];
    static readonly HashSet<string> BoolFlags = ["tty", "t", "detach", "d", "no-new-privs", "ignore-paused"];

    public static int Run(Context ctx, string[] argv, int start)
    {
        var a = ParseUntilArgs(argv, start);
        if (a.Positional.Count < 1) throw new UsageException("exec: usage: oar exec [flags] <container-id> <command> [args...]");
        var id = a.Positional[0];
        bool detach = a.Has("detach", "d");
        int preserve = 0;
        if (a.Value("preserve-fds") is { } pf && (!int.TryParse(pf, out preserve) || preserve < 0))
            throw new UsageException($"exec: --preserve-fds must be a non-negative number, not \"{pf}\"");

        // With a process file the terminal setting is only known once it is read: read it first.
        Skiff.Runtime.Spec.Process? fromFile = a.Value("process", "p") is { } file ? ReadProcessFile(file) : null;
        bool tty = fromFile?.Terminal ?? a.Has("tty", "t");
        TerminalProxy? proxy = null;
        if (tty && a.Value("console-socket") is null)
        {
            if (detach) throw new UsageException("exec: --tty with --detach needs --console-socket");
            proxy = new TerminalProxy();
        }
        using (proxy)
        {
            int pid = Exec.Run(ctx.Store, new ExecOptions
            {
                Id = id, Process = spec => fromFile ?? FromFlags(a, spec), Detach = detach, PidFile = a.Value("pid-file"),
                ConsoleSocket = a.Value("console-socket"), ConsoleSocketFd = proxy?.ContainerEnd ?? -1, PreserveFds = preserve,
            });
            if (detach) return 0;
            proxy?.Start();
            using var forward = SignalForwarding.To(pid);
            Processes.Wait(pid, out int status);
            proxy?.Drain();
            return Processes.ExitCode(status);
        }
    }

    /// <summary>Flags end at the first argument after the container id: the rest is the command.</summary>
    static Args ParseUntilArgs(string[] argv, int start)
    {
        int idIndex = -1;
        for (int i = start; i < argv.Length; i++)
        {
            var s = argv[i];
            if (s == "--") { idIndex = i + 1; break; }
            if (s.StartsWith('-'))
            {
                var name = s.TrimStart('-');
                if (!name.Contains('=') && ValueFlags.Contains(name)) i++;
                continue;
            }
            idIndex = i;
            break;
        }
        var a = Args.Parse(argv[..(idIndex < 0 ? argv.Length : idIndex + 1)], start, ValueFlags, BoolFlags, "exec");
        if (idIndex >= 0 && idIndex + 1 < argv.Length) a.Positional.AddRange(argv[(idIndex + 1)..]);
        return a;
    }

    static Skiff.Runtime.Spec.Process ReadProcessFile(string file)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(file); }
        catch (FileNotFoundException) { throw new SpecException(file, "no such process file"); }
        return SpecLoader.Read(bytes, file, e => SpecReader.Process(e, "process"));
    }

    static Skiff.Runtime.Spec.Process FromFlags(Args a, RuntimeSpec spec)
    {
        if (a.Positional.Count < 2) throw new UsageException("exec: no command given (args after the container id, or --process FILE)");
        var baseProcess = spec.Process ?? new Skiff.Runtime.Spec.Process();
        var p = baseProcess;
        p.Args = a.Positional.Skip(1).ToList();
        p.Terminal = a.Has("tty", "t");
        p.Env = [.. p.Env ?? [], .. a.Values("env", "e")];
        if (a.Value("cwd") is { } cwd) p.Cwd = cwd;
        if (a.Value("user", "u") is { } user)
        {
            var parts = user.Split(':');
            if (!uint.TryParse(parts[0], out var uid) || (parts.Length > 1 && !uint.TryParse(parts[1], out _)))
                throw new UsageException($"exec: --user must be UID[:GID], not \"{user}\"");
            p.User = new User { Uid = uid, Gid = parts.Length > 1 ? uint.Parse(parts[1]) : 0, Umask = p.User?.Umask };
        }
        var gids = a.Values("additional-gids", "g");
        if (gids.Count > 0)
        {
            p.User ??= new User();
            p.User.AdditionalGids = gids.Select(g => uint.TryParse(g, out var v) ? v : throw new UsageException($"exec: bad gid \"{g}\"")).ToList();
        }
        foreach (var cap in a.Values("cap", "c"))
        {
            var name = cap.StartsWith("CAP_", StringComparison.Ordinal) ? cap : "CAP_" + cap.ToUpperInvariant();
            p.Capabilities ??= new CapabilitySets();
            foreach (var set in new Func<List<string>>[] { () => p.Capabilities.Bounding ??= [], () => p.Capabilities.Effective ??= [], () => p.Capabilities.Permitted ??= [] })
            {
                var list = set();
                if (!list.Contains(name)) list.Add(name);
            }
        }
        if (a.Has("no-new-privs")) p.NoNewPrivileges = true;
        if (a.Value("apparmor") is { } aa) p.ApparmorProfile = aa;
        return p;
    }
}
