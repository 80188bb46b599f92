using Skiff.Linux;
using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Cgroups.V1;

/// <summary>
/// A cgroup on a v1 host: one directory per mounted hierarchy (co-mounted controllers share one). On a hybrid host
/// the cgroup2 mount is used too: processes join it, controllers bound there (e.g. hugetlb) are set there, and its
/// cgroup.kill serves SIGKILL.
/// </summary>
public sealed class Manager : ICgroupManager
{
    readonly CgroupLayout layout;
    readonly V2.Manager? unified;
    readonly List<string> warnings = new();

    public Manager(CgroupLayout layout, string path)
    {
        this.layout = layout;
        Path = path;
        if (layout.Mode == CgroupMode.Hybrid && layout.UnifiedMount is { } mount)
            unified = new V2.Manager(mount, path, layout.UnifiedControllers.ToArray());
    }

    public string Path { get; }

    /// <summary>Limits skipped because this kernel lacks their files (for the runtime to log as warnings).</summary>
    public IReadOnlyList<string> Warnings => warnings;

    /// <summary>The unified (cgroup2) side on a hybrid host, else null.</summary>
    public V2.Manager? UnifiedPart => unified;

    /// <summary>The cgroup's directory in the hierarchy holding <paramref name="controller"/>, or null if not mounted.</summary>
    public string? DirectoryOf(string controller) => layout.HierarchyOf(controller) is { } h ? h.MountPoint + Path : null;

    string Require(string controller)
        => DirectoryOf(controller) ?? throw new CgroupException(controller, "controller is not mounted on this host");

    public void Create()
    {
        foreach (var h in layout.Hierarchies)
        {
            Action<string, string>? init = Array.IndexOf(h.Controllers, "cpuset") >= 0 ? Cpuset.Initialise : null;
            CgroupDirectory.Make(h.Controllers[0], h.MountPoint, Path, init);
        }
        unified?.Create();
    }

    public void Apply(int pid)
    {
        foreach (var h in layout.Hierarchies) CgroupDirectory.AddProcess(h.Controllers[0], h.MountPoint + Path, pid);
        unified?.Apply(pid);
    }

    public void Set(Resources r)
    {
        if (r.Cpu is { } cpu)
        {
            if (!string.IsNullOrEmpty(cpu.Cpus) || !string.IsNullOrEmpty(cpu.Mems)) Cpuset.Set(Require("cpuset"), cpu);
            if (cpu.Shares is not null || cpu.Quota is not null || cpu.Period is not null || cpu.Burst is not null
                || cpu.RealtimePeriod is not null || cpu.RealtimeRuntime is not null || cpu.Idle is not null)
                Cpu.Set(Require("cpu"), cpu, warnings);
        }
        if (r.Memory is { } memory) Memory.Set(Require("memory"), memory, warnings);
        if (r.Pids is { } pids) V1.Pids.Set(Require("pids"), pids);
        if (r.BlockIo is { } io) Blkio.Set(Require("blkio"), io, warnings);
        if (r.HugepageLimits is { Count: > 0 } huge)
        {
            if (DirectoryOf("hugetlb") is { } dir) Hugetlb.Set(dir, huge);
            else if (unified is not null && layout.OnUnified("hugetlb")) V2.Hugetlb.Set(unified.Directory, huge);
            else throw new CgroupException("hugetlb", "controller is mounted neither on a v1 hierarchy nor on the cgroup2 mount");
        }
        if (r.Devices is { } devices) Devices.Set(Require("devices"), devices);
        if (r.Network?.ClassId is { } classId) NetCls.Set(Require("net_cls"), classId);
        if (r.Network?.Priorities is { Count: > 0 } prios) NetPrio.Set(Require("net_prio"), prios);
        if (r.Rdma is { Count: > 0 } rdma) SetRdma(Require("rdma"), rdma);
        if (r.Unified is { Count: > 0 } values) Unified.Set(layout, unified, values);
    }

    static void SetRdma(string dir, Dictionary<string, RdmaLimit> rdma)
    {
        foreach (var (device, l) in rdma)
        {
            var handles = l.HcaHandles is { } h ? $" hca_handle={h}" : "";
            var objects = l.HcaObjects is { } o ? $" hca_object={o}" : "";
            if (handles.Length + objects.Length > 0) CgroupFile.Write("rdma", dir, "rdma.max", device + handles + objects);
        }
    }

    public void Freeze()
    {
        if (DirectoryOf("freezer") is { } dir) Freezer.Set(dir, true);
        else if (unified is not null) unified.Freeze();
        else throw new CgroupException("freezer", "controller is not mounted on this host");
    }

    public void Thaw()
    {
        if (DirectoryOf("freezer") is { } dir) Freezer.Set(dir, false);
        else if (unified is not null) unified.Thaw();
        else throw new CgroupException("freezer", "controller is not mounted on this host");
    }

    public bool IsFrozen()
    {
        if (DirectoryOf("freezer") is { } dir) return Freezer.IsFrozen(dir);
        return unified?.IsFrozen() ?? false;
    }

    /// <summary>Pids from the pids hierarchy (else freezer, else any): every hierarchy holds the same processes.</summary>
    public IReadOnlyList<int> Pids()
    {
        var dir = DirectoryOf("pids") ?? DirectoryOf("freezer")
            ?? (layout.Hierarchies.Count > 0 ? layout.Hierarchies[0].MountPoint + Path : unified?.Directory);
        return dir is null ? [] : CgroupDirectory.ProcessesIn(dir);
    }

    /// <summary>
    /// SIGKILL: cgroup.kill on the hybrid cgroup2 side, then any pid still listed. Other signals: freeze, signal every
    /// pid, thaw (no process can fork away meanwhile); a cgroup that was frozen before stays frozen.
    /// </summary>
    public void Signal(int signal)
    {
        if (signal == Processes.SIGKILL)
        {
            unified?.Kill();
            foreach (var pid in Pids()) Processes.Signal(pid, signal);
            if (DirectoryOf("freezer") is { } fz && Freezer.IsFrozen(fz)) Freezer.Set(fz, false); // frozen tasks die only when thawed
            return;
        }
        var freezer = DirectoryOf("freezer");
        bool wasFrozen = freezer is not null && Freezer.IsFrozen(freezer);
        if (freezer is not null && !wasFrozen) Freezer.Set(freezer, true);
        try
        {
            foreach (var pid in Pids()) Processes.Signal(pid, signal);
        }
        finally
        {
            if (freezer is not null && !wasFrozen) Freezer.Set(freezer, false);
        }
    }

    public CgroupStats Stats()
    {
        var s = new CgroupStats();
        if (DirectoryOf("memory") is { } mem) Memory.Stats(mem, s.Memory);
        if (DirectoryOf("pids") is { } pids) V1.Pids.Stats(pids, s.Pids);
        if (DirectoryOf("cpuacct") is { } acct) Cpuacct.Stats(acct, s.Cpu);
        if (DirectoryOf("cpu") is { } cpu) Cpu.Stats(cpu, s.Cpu);
        if (DirectoryOf("blkio") is { } blkio) Blkio.Stats(blkio, s.Blkio);
        if (DirectoryOf("hugetlb") is { } huge) Hugetlb.Stats(huge, s.Hugetlb);
        else if (unified is not null && layout.OnUnified("hugetlb")) V2.Hugetlb.Stats(unified.Directory, s.Hugetlb);
        return s;
    }

    public ulong OomKills() => DirectoryOf("memory") is { } mem ? Memory.OomKills(mem) : 0;

    /// <summary>Removes the cgroup from every hierarchy; one failure does not stop the others (the first is rethrown).</summary>
    public void Destroy()
    {
        CgroupException? first = null;
        foreach (var h in layout.Hierarchies)
        {
            try { CgroupDirectory.Remove(h.Controllers[0], h.MountPoint + Path); }
            catch (CgroupException e) { first ??= e; }
        }
        try { unified?.Destroy(); }
        catch (CgroupException e) { first ??= e; }
        if (first is not null) throw first;
    }
}
