using Skiff.Linux;
using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Cgroups.V2;

/// <summary>
/// A cgroup on a cgroup2 hierarchy: the whole host on a unified layout, or the cgroup2 mount of a hybrid host
/// (where it carries whatever controllers are not bound to v1, plus procs, freeze, kill and device programs).
/// </summary>
public sealed class Manager : ICgroupManager
{
    readonly IReadOnlyCollection<string> controllers;
    readonly List<string> warnings = new();

    /// <param name="mount">The cgroup2 mount point (/sys/fs/cgroup, or /sys/fs/cgroup/unified on a hybrid host).</param>
    /// <param name="path">A normalized cgroupsPath (see <see cref="CgroupPath"/>).</param>
    /// <param name="controllers">The controllers the mount root offers (its cgroup.controllers); enabled for the new cgroup.</param>
    public Manager(string mount, string path, IReadOnlyCollection<string> controllers)
    {
        Mount = mount;
        Path = path;
        Directory = mount + path;
        this.controllers = controllers;
    }

    public IReadOnlyList<string> Warnings => warnings;

    public string Mount { get; }
    public string Path { get; }
    /// <summary>The cgroup's directory.</summary>
    public string Directory { get; }

    /// <summary>Makes the directories first, then enables the controllers level by level: for a nested path
    /// ("/a/b") the intermediate cgroups must exist before their cgroup.subtree_control can be written.</summary>
    public void Create()
    {
        CgroupDirectory.Make("cgroup", Mount, Path);
        SubtreeControl.Enable(Mount, Path, controllers);
    }

    public void Apply(int pid) => CgroupDirectory.AddProcess("cgroup", Directory, pid);

    public void Set(Resources r)
    {
        if (r.Cpu is { } cpu) { Cpuset.Set(Directory, cpu); Cpu.Set(Directory, cpu); }
        if (r.Memory is { } memory) Memory.Set(Directory, memory, warnings);
        if (r.Pids is { } pids) V2.Pids.Set(Directory, pids);
        if (r.BlockIo is { } io) Io.Set(Directory, io);
        if (r.HugepageLimits is { Count: > 0 } huge) Hugetlb.Set(Directory, huge);
        if (r.Devices is { } devices) DeviceFilter.Attach(Directory, devices);
        if (r.Network is { ClassId: not null } or { Priorities.Count: > 0 })
            throw new CgroupException("net_cls", "network classID and priorities need the v1 net_cls/net_prio controllers (cgroup v2 has none)");
        if (r.Rdma is { Count: > 0 } rdma) SetRdma(rdma);
        if (r.Unified is { Count: > 0 } unified) Unified.Set(Directory, unified);
    }

    void SetRdma(Dictionary<string, RdmaLimit> rdma)
    {
        foreach (var (device, l) in rdma)
        {
            var handles = l.HcaHandles is { } h ? $" hca_handle={h}" : "";
            var objects = l.HcaObjects is { } o ? $" hca_object={o}" : "";
            if (handles.Length + objects.Length > 0) CgroupFile.Write("rdma", Directory, "rdma.max", device + handles + objects);
        }
    }

    public void Freeze() => Freezer.Set(Directory, true);
    public void Thaw() => Freezer.Set(Directory, false);
    public bool IsFrozen() => Freezer.IsFrozen(Directory);

    public IReadOnlyList<int> Pids() => CgroupDirectory.ProcessesIn(Directory);

    /// <summary>SIGKILL through cgroup.kill (atomic, reaches forks in flight); other signals pid by pid.</summary>
    public void Signal(int signal)
    {
        if (signal == Processes.SIGKILL && CgroupFile.TryWrite(Directory, "cgroup.kill", "1") == 0) return;
        foreach (var pid in Pids()) Processes.Signal(pid, signal);
    }

    /// <summary>Writes 1 to cgroup.kill; false if the kernel has no cgroup.kill.</summary>
    public bool Kill() => CgroupFile.TryWrite(Directory, "cgroup.kill", "1") == 0;

    public CgroupStats Stats()
    {
        var s = new CgroupStats();
        V2.Memory.Stats(Directory, s.Memory);
        V2.Pids.Stats(Directory, s.Pids);
        V2.Cpu.Stats(Directory, s.Cpu);
        Io.Stats(Directory, s.Blkio);
        Hugetlb.Stats(Directory, s.Hugetlb);
        return s;
    }

    public ulong OomKills() => V2.Memory.OomKills(Directory);

    public void Destroy() => CgroupDirectory.Remove("cgroup", Directory);
}
