using Skiff.Linux;

namespace Skiff.Runtime.Cgroups;

// INTERIM (replaced when the cgroups branch lands): the interface the runtime calls, and a minimal v1 manager
// for memory and pids so that containers get their cgroup from the start.
public interface ICgroupManager
{
    string Path { get; }
    void Create();
    void Apply(int pid);
    void Set(Spec.Resources resources);
    void Freeze(); void Thaw(); bool IsFrozen();
    IReadOnlyList<int> Pids();
    void Signal(int signal);
    void Destroy();
}

public static class CgroupManagers
{
    public static ICgroupManager Open(string cgroupsPath, bool systemd = false) => new InterimV1(cgroupsPath);
}

sealed class InterimV1(string path) : ICgroupManager
{
    public string Path { get; } = path;
    static readonly string[] Hierarchies = ["memory", "pids", "cpu,cpuacct", "blkio", "devices", "freezer", "cpuset", "unified"];
    string Dir(string h) => System.IO.Path.Combine("/sys/fs/cgroup", h, Path.TrimStart('/'));

    public void Create()
    {
        foreach (var h in Hierarchies)
        {
            if (!Directory.Exists(System.IO.Path.Combine("/sys/fs/cgroup", h))) continue;
            Directory.CreateDirectory(Dir(h));
            if (h == "cpuset")
            {
                Files.WriteText(System.IO.Path.Combine(Dir(h), "cpuset.cpus"), Files.ReadText("/sys/fs/cgroup/cpuset/cpuset.cpus").Trim());
                Files.WriteText(System.IO.Path.Combine(Dir(h), "cpuset.mems"), Files.ReadText("/sys/fs/cgroup/cpuset/cpuset.mems").Trim());
            }
        }
    }

    public void Apply(int pid)
    {
        foreach (var h in Hierarchies)
            if (Directory.Exists(Dir(h))) Files.WriteText(System.IO.Path.Combine(Dir(h), "cgroup.procs"), pid.ToString());
    }

    public void Set(Spec.Resources r)
    {
        if (r.Memory?.Limit is long m) Files.WriteText(System.IO.Path.Combine(Dir("memory"), "memory.limit_in_bytes"), m.ToString());
        if (r.Pids is { } p) Files.WriteText(System.IO.Path.Combine(Dir("pids"), "pids.max"), p.Limit > 0 ? p.Limit.ToString() : "max");
    }

    public void Freeze() => Files.WriteText(System.IO.Path.Combine(Dir("freezer"), "freezer.state"), "FROZEN");
    public void Thaw() => Files.WriteText(System.IO.Path.Combine(Dir("freezer"), "freezer.state"), "THAWED");
    public bool IsFrozen() => Files.ReadText(System.IO.Path.Combine(Dir("freezer"), "freezer.state")).StartsWith("FROZEN");

    public IReadOnlyList<int> Pids()
    {
        var f = System.IO.Path.Combine(Dir("pids"), "cgroup.procs");
        if (!File.Exists(f)) return [];
        return Files.ReadText(f).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();
    }

    public void Signal(int signal) { foreach (var pid in Pids()) Processes.Signal(pid, signal); }

    public void Destroy()
    {
        foreach (var h in Hierarchies)
        {
            var d = Dir(h);
            for (int i = 0; i < 50 && Directory.Exists(d); i++)
            {
                try { Directory.Delete(d); } catch (IOException) { Thread.Sleep(10); }
            }
        }
    }
}
