using Skiff.Runtime.Cgroups;

namespace Skiff.Runtime.Container;

/// <summary>`pause` / `resume`: freeze and thaw every process of the container through its cgroup's freezer.</summary>
public static class Pause
{
    public static void Freeze(StateStore store, string id)
    {
        var (record, status) = Load(store, id);
        if (status != Status.Running) throw new RuntimeException("pause", $"container is {ContainerStatus.Name(status)}, not running");
        Manager(record).Freeze();
    }

    public static void Thaw(StateStore store, string id)
    {
        var (record, status) = Load(store, id);
        if (status != Status.Paused) throw new RuntimeException("resume", $"container is {ContainerStatus.Name(status)}, not paused");
        Manager(record).Thaw();
    }

    static (ContainerRecord, Status) Load(StateStore store, string id)
    {
        var r = store.Load(id);
        return (r, ContainerStatus.Of(r, store));
    }

    public static ICgroupManager Manager(ContainerRecord r)
        => CgroupManagers.Open(r.CgroupsPath ?? throw new RuntimeException("cgroup", $"container {r.Id} has no cgroup"));
}
