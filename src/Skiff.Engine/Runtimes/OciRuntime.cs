using Skiff.Linux;
using System.Text.Json;

namespace Skiff.Engine.Runtimes;

/// <summary>Runs a runc-compatible binary (oar, runc, crun, runsc) for one-shot verbs: state, kill, pause, resume,
/// delete. Errors carry the runtime's stderr.</summary>
public sealed class OciRuntime(string binary, string root)
{
    public string Binary { get; } = binary;
    public string Root { get; } = root;

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string Message => (Stderr.Trim().Length > 0 ? Stderr : Stdout).Trim();
    }

    public Result Run(params string[] args)
    {
        CapturedRun.Result r;
        try { r = CapturedRun.Run(Binary, ["--root", Root, .. args]); }
        catch (LinuxException e) { throw new EngineException(EngineErrorKind.System, $"cannot run {Binary}: {e.Message}"); }
        return new Result(r.ExitCode, r.Stdout, r.Stderr);
    }

    /// <summary>The runtime's status ("created", "running", "paused", "stopped") and init pid, or null when it does not
    /// know the container.</summary>
    public (string Status, int Pid)? State(string id)
    {
        var r = Run("state", id);
        if (r.ExitCode != 0) return null;
        try
        {
            using var doc = JsonDocument.Parse(r.Stdout);
            var s = doc.RootElement.TryGetProperty("status", out var st) ? st.GetString() ?? "" : "";
            var pid = doc.RootElement.TryGetProperty("pid", out var p) && p.ValueKind == JsonValueKind.Number ? p.GetInt32() : 0;
            return (s, pid);
        }
        catch (JsonException) { return null; }
    }

    public void Kill(string id, int signal, bool all = false)
    {
        var r = all ? Run("kill", "--all", id, signal.ToString()) : Run("kill", id, signal.ToString());
        if (r.ExitCode != 0) throw new EngineException(EngineErrorKind.System, $"cannot kill container {id}: {r.Message}");
    }

    public void Pause(string id) => Check(Run("pause", id), "pause", id);
    public void Resume(string id) => Check(Run("resume", id), "unpause", id);

    public void Delete(string id, bool force) => _ = force ? Run("delete", "--force", id) : Run("delete", id);

    /// <summary>`delete --force` when the runtime may still hold state for <paramref name="id"/>. Every runc-compatible
    /// runtime keeps its state under its root in an entry named after the id (oar, runc, crun: a directory; runsc:
    /// files with the id in their name), so when no such entry exists there is nothing to delete and no process is
    /// started — it was a `state` and a `delete` for every container start, stop and removal.</summary>
    public void DeleteIfPresent(string id)
    {
        if (!MayKnow(id)) return;
        Delete(id, force: true);
    }

    bool MayKnow(string id)
    {
        try { return Directory.EnumerateFileSystemEntries(Root, "*" + id + "*").Any(); }
        catch (DirectoryNotFoundException) { return false; }
        catch (IOException) { return true; }
        catch (UnauthorizedAccessException) { return true; }
    }

    static void Check(Result r, string verb, string id)
    {
        if (r.ExitCode != 0) throw new EngineException(EngineErrorKind.System, $"cannot {verb} container {id}: {r.Message}");
    }
}
