using Skiff.Linux;
using Skiff.Runtime.Cgroups;
using Skiff.Runtime.Hooks;

namespace Skiff.Runtime.Container;

/// <summary>`delete`: removes a stopped (or created) container; --force kills a running or paused one first.
/// Cgroup and state go, then poststop hooks run (their failures are only warnings, as the spec says).</summary>
public static class Delete
{
    public static IReadOnlyList<string> Run(StateStore store, string id, bool force)
    {
        var record = store.Load(id);
        var status = ContainerStatus.Of(record, store);
        if (status is Status.Running or Status.Paused && !force)
            throw new RuntimeException("delete", $"cannot delete container {id} that is not stopped: {ContainerStatus.Name(status)}");
        var cgroup = record.CgroupsPath is null ? null : CgroupManagers.Open(record.CgroupsPath);
        var warnings = new List<string>();
        // Without a pid namespace of its own, the container's other processes outlive its init (nothing kills them
        // when it dies, e.g. `podman kill` of a --pid host container): kill what is left in the cgroup on every
        // delete, as runc does, or they leak and keep the cgroup busy.
        if (cgroup is not null && !record.OwnsPidNamespace)
        {
            try { cgroup.Signal(Processes.SIGKILL); }
            catch (CgroupException e) { warnings.Add($"kill the processes left in {record.CgroupsPath}: {e.Message}"); }
        }
        if (status != Status.Stopped)
        {
            Processes.Signal(record.Pid, Processes.SIGKILL);
            if (status == Status.Paused) cgroup?.Thaw();
            WaitGone(record);
        }
        try { cgroup?.Destroy(); }
        catch (Exception e) { warnings.Add($"remove cgroup {record.CgroupsPath}: {e.Message}"); }
        RuntimeSpecHooks(store, record, warnings);
        store.Remove(id);
        return warnings;
    }

    static void RuntimeSpecHooks(StateStore store, ContainerRecord record, List<string> warnings)
    {
        if (!record.HasPoststopHooks) return;
        Spec.RuntimeSpec spec;
        try { spec = store.LoadConfig(record.Id); }
        catch (Exception e) { warnings.Add($"poststop hooks skipped: {e.Message}"); return; }
        try { HookRunner.RunAll(spec.Hooks?.Poststop, "poststop", Create.StateJson(record, "stopped")); }
        catch (RuntimeException e) { warnings.Add(e.Message); }
    }

    /// <summary>Waits (bounded) until the init process is gone, so the cgroup can be removed.</summary>
    /// <summary>Waits (bounded, 2 s) until the init is reaped, not just dead: a zombie still pins its cgroup, and
    /// whoever reaps it (the engine's shim, or pid 1) may be a moment late.</summary>
    static void WaitGone(ContainerRecord r)
    {
        for (int i = 0; i < 1000; i++)
        {
            var stat = ProcStat.TryRead(r.Pid);
            if (stat is null || (r.PidStartTime != 0 && stat.Value.StartTime != r.PidStartTime)) return;
            Thread.Sleep(2);
        }
    }
}
