namespace Skiff.Runtime.Cgroups;

/// <summary>
/// One container's cgroup on this host, whatever the layout (v1, hybrid, v2). Obtained from
/// <see cref="CgroupManagers.Open"/>. Order at container create: <see cref="Create"/>, <see cref="Apply"/> (the init pid),
/// <see cref="Set"/>; at delete: <see cref="Signal"/> (SIGKILL) if anything is left, then <see cref="Destroy"/>.
/// </summary>
public interface ICgroupManager
{
    /// <summary>The resolved cgroupsPath, absolute within every hierarchy (e.g. "/mycontainer").</summary>
    string Path { get; }

    /// <summary>Makes the cgroup directories in every hierarchy used. Idempotent.</summary>
    void Create();

    /// <summary>Moves <paramref name="pid"/> (the whole thread group) into the cgroup in every hierarchy, the unified one included.</summary>
    void Apply(int pid);

    /// <summary>Applies linux.resources. A bad value throws <see cref="CgroupException"/> naming controller, file, value and errno.</summary>
    void Set(Spec.Resources resources);

    void Freeze();
    void Thaw();
    bool IsFrozen();

    /// <summary>Every pid in the cgroup and its descendants.</summary>
    IReadOnlyList<int> Pids();

    /// <summary>Sends <paramref name="signal"/> to every process in the cgroup (kill --all).</summary>
    void Signal(int signal);

    CgroupStats Stats();

    /// <summary>How many processes the OOM killer has killed in this cgroup (v2: memory.events oom_kill, which counts
    /// descendants too; v1: memory.oom_control oom_kill, this cgroup only). 0 without a memory controller or cgroup.</summary>
    ulong OomKills();

    /// <summary>Removes the cgroup (and any child cgroups) everywhere, retrying briefly on EBUSY. No error if already gone.</summary>
    void Destroy();

    /// <summary>Requested limits that this kernel or layout cannot apply and that were skipped (log them as warnings).</summary>
    IReadOnlyList<string> Warnings { get; }
}
