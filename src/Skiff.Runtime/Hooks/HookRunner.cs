using System.Text;
using Skiff.Linux;
using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Hooks;

/// <summary>Runs OCI hooks: the state JSON on stdin, the hook's own args/env, its timeout honoured.</summary>
public static class HookRunner
{
    public static void RunAll(IReadOnlyList<Hook>? hooks, string phase, string stateJson)
    {
        if (hooks is null) return;
        for (int i = 0; i < hooks.Count; i++) Run(hooks[i], $"{phase}[{i}]", stateJson);
    }

    public static void Run(Hook hook, string name, string stateJson)
    {
        var path = hook.Path ?? throw new RuntimeException($"hook {name}", "path is missing");
        var args = hook.Args is { Count: > 0 } a ? a : [path];
        var (readEnd, writeEnd) = Pipe.Create();
        int pid;
        try
        {
            pid = Processes.Spawn(path, args, hook.Env ?? [], [(0, readEnd.Value), (1, 2), (2, 2)]);
        }
        catch (LinuxException e) { throw new RuntimeException($"hook {name}", $"cannot run {path}: {e.ErrnoName}"); }
        finally { readEnd.Dispose(); }

        using var pidfd = Processes.PidfdOpen(pid);
        try { Files.WriteAll(writeEnd.Value, Encoding.UTF8.GetBytes(stateJson)); }
        catch (LinuxException e) when (e.Errno == Errno.EPIPE) { /* the hook need not read its stdin */ }
        writeEnd.Dispose();

        int timeoutMs = hook.Timeout is int t && t > 0 ? t * 1000 : -1;
        if (!Poll.Readable(pidfd.Value, timeoutMs))
        {
            Processes.Signal(pid, Processes.SIGKILL);
            Processes.Wait(pid, out _);
            throw new RuntimeException($"hook {name}", $"{path} timed out after {hook.Timeout}s");
        }
        Processes.Wait(pid, out int status);
        if (status != 0)
        {
            var how = Processes.Signaled(status) ? $"was killed by signal {status & 0x7f}" : $"exited with status {Processes.ExitCode(status)}";
            throw new RuntimeException($"hook {name}", $"{path} {how}");
        }
    }
}
