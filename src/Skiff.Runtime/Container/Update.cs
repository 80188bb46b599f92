using System.Text.Json;
using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Container;

/// <summary>`update`: applies new linux.resources to a live container (only the fields given) and records them
/// in the saved config, so a later `state`/`events` agrees with the kernel.</summary>
public static class Update
{
    public static IReadOnlyList<string> Run(StateStore store, string id, Resources changes)
    {
        var record = store.Load(id);
        var status = ContainerStatus.Of(record, store);
        if (status == Status.Stopped) throw new RuntimeException("update", "container is stopped");
        var cgroup = Pause.Manager(record);
        cgroup.Set(changes);
        var spec = store.LoadConfig(id);
        spec.Linux ??= new Spec.Linux();
        spec.Linux.Resources = Merge(spec.Linux.Resources ?? new Resources(), changes);
        var path = store.ConfigPath(id);
        File.WriteAllBytes(path + ".tmp", JsonSerializer.SerializeToUtf8Bytes(spec, SpecJson.Default.RuntimeSpec));
        File.Move(path + ".tmp", path, overwrite: true);
        return cgroup.Warnings;
    }

    static Resources Merge(Resources into, Resources c)
    {
        if (c.Memory is { } m)
        {
            var t = into.Memory ??= new MemoryResources();
            t.Limit = m.Limit ?? t.Limit; t.Reservation = m.Reservation ?? t.Reservation; t.Swap = m.Swap ?? t.Swap;
            t.Kernel = m.Kernel ?? t.Kernel; t.KernelTcp = m.KernelTcp ?? t.KernelTcp; t.Swappiness = m.Swappiness ?? t.Swappiness;
            t.DisableOomKiller = m.DisableOomKiller ?? t.DisableOomKiller;
        }
        if (c.Cpu is { } cpu)
        {
            var t = into.Cpu ??= new CpuResources();
            t.Shares = cpu.Shares ?? t.Shares; t.Quota = cpu.Quota ?? t.Quota; t.Period = cpu.Period ?? t.Period;
            t.Burst = cpu.Burst ?? t.Burst; t.RealtimeRuntime = cpu.RealtimeRuntime ?? t.RealtimeRuntime;
            t.RealtimePeriod = cpu.RealtimePeriod ?? t.RealtimePeriod; t.Cpus = cpu.Cpus ?? t.Cpus; t.Mems = cpu.Mems ?? t.Mems;
            t.Idle = cpu.Idle ?? t.Idle;
        }
        if (c.Pids is { } p) into.Pids = p;
        if (c.BlockIo is { } b) into.BlockIo = b;
        if (c.HugepageLimits is { } h) into.HugepageLimits = h;
        if (c.Devices is { } d) into.Devices = d;
        if (c.Network is { } n) into.Network = n;
        if (c.Unified is { } u) { into.Unified ??= new(); foreach (var (k, v) in u) into.Unified[k] = v; }
        return into;
    }
}
