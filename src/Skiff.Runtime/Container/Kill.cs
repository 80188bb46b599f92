using Skiff.Linux;
using Skiff.Runtime.Cgroups;

namespace Skiff.Runtime.Container;

/// <summary>`kill`: sends a signal to the container's init, or with --all to every process in its cgroup.</summary>
public static class Kill
{
    public static void Run(StateStore store, string id, int signal, bool all)
    {
        var record = store.Load(id);
        var status = ContainerStatus.Of(record, store);
        if (status == Status.Stopped && !all) throw new RuntimeException("kill", "container not running");
        if (all && record.CgroupsPath is not null)
        {
            var cg = CgroupManagers.Open(record.CgroupsPath);
            if (signal == Processes.SIGKILL && status == Status.Paused) { cg.Signal(signal); cg.Thaw(); return; }
            cg.Signal(signal);
            if (status == Status.Paused && signal != Processes.SIGKILL) cg.Thaw();
            return;
        }
        using var pidfd = Processes.PidfdOpen(record.Pid);
        // Opened, then re-checked: the pidfd pins the process, so the signal cannot reach a reused pid.
        if (!ContainerStatus.IsAlive(record.Pid, record.PidStartTime)) throw new RuntimeException("kill", "container not running");
        int e = Processes.SignalPidfd(pidfd.Value, signal);
        if (e != 0) throw new LinuxException("kill", null, e, $"signal {signal} to pid {record.Pid}");
    }
}
