using System.Text.Json;
using Skiff.Engine.Specs;
using Skiff.Runtime.Spec;

namespace Skiff.Engine.Containers;

/// <summary>What `exec` asks for.</summary>
public sealed record ExecRequest
{
    public required List<string> Command { get; init; }
    public bool Tty { get; init; }
    public bool Detach { get; init; }
    public List<string> Env { get; init; } = [];
    public string? User { get; init; }
    public string? WorkingDir { get; init; }
    public bool Privileged { get; init; }
}

/// <summary>A prepared exec: run <see cref="Arguments"/> with <see cref="RuntimePath"/> (the caller's stdio becomes the
/// process's), then <see cref="Dispose"/> to drop the process file.</summary>
public sealed class ExecPlan(string runtimePath, List<string> arguments, string processFile) : IDisposable
{
    public string RuntimePath { get; } = runtimePath;
    public List<string> Arguments { get; } = arguments;
    public void Dispose() { try { File.Delete(processFile); } catch (IOException) { } }
}

public sealed partial class ContainerService
{
    /// <summary>docker exec: the container's process settings (env, user, cwd, capabilities, seccomp via the runtime)
    /// with the request's changes, written as a process.json for `&lt;runtime&gt; exec --process`.</summary>
    public ExecPlan PrepareExec(string nameOrId, ExecRequest req)
    {
        if (req.Command.Count == 0) throw EngineException.Invalid("exec needs a command to run");
        var rec = Get(nameOrId);
        if (!rec.State.Running || rec.State.Restarting) throw EngineException.Conflict($"container {rec.Id} is not running");
        if (rec.State.Paused) throw EngineException.Conflict($"Container {rec.Id} is paused, unpause the container before exec");
        var dir = Store.Dir(rec.Id);
        var spec = JsonSerializer.Deserialize(File.ReadAllBytes(Path.Combine(dir, "bundle", "config.json")), SpecJson.Default.RuntimeSpec)
            ?? throw new EngineException(EngineErrorKind.System, $"container {rec.ShortId} has no spec");
        var p = spec.Process ?? new Process();
        p.Args = req.Command;
        p.Terminal = req.Tty && !req.Detach; // a detached exec's output goes nowhere: no terminal needed
        p.ConsoleSize = null;
        var env = new List<string>(p.Env ?? []);
        if (req.Tty && !env.Any(e => e.StartsWith("TERM=", StringComparison.Ordinal))) env.Add("TERM=xterm");
        foreach (var e in req.Env)
        {
            var key = e.IndexOf('=') is var i and >= 0 ? e[..i] : e;
            env.RemoveAll(x => x.StartsWith(key + "=", StringComparison.Ordinal));
            env.Add(e);
        }
        p.Env = env;
        if (!string.IsNullOrEmpty(req.User))
        {
            var u = ImageUser.Resolve(Path.Combine(dir, "rootfs"), req.User, rec.HostConfig.GroupAdd);
            p.User = new User { Uid = u.Uid, Gid = u.Gid, AdditionalGids = u.AdditionalGids.Count > 0 ? u.AdditionalGids : null };
            p.Env.RemoveAll(e => e.StartsWith("HOME=", StringComparison.Ordinal));
            p.Env.Add("HOME=" + (u.Home ?? "/"));
        }
        if (!string.IsNullOrEmpty(req.WorkingDir))
        {
            if (!req.WorkingDir.StartsWith('/')) throw EngineException.Invalid($"the working directory '{req.WorkingDir}' is invalid, it needs to be an absolute path");
            p.Cwd = req.WorkingDir;
        }
        if (req.Privileged)
        {
            var all = DefaultCapabilities.All();
            p.Capabilities = new CapabilitySets { Bounding = all, Effective = [.. all], Permitted = [.. all] };
        }
        var file = Path.Combine(dir, $"exec-{Guid.NewGuid():N}.json");
        File.WriteAllBytes(file, JsonSerializer.SerializeToUtf8Bytes(p, SpecJson.Default.Process));
        var args = new List<string> { "--root", rec.Own.RuntimeRoot, "exec", "--process", file };
        if (req.Detach) args.Add("--detach");
        args.Add(rec.Id);
        return new ExecPlan(rec.Own.RuntimePath, args, file);
    }
}
