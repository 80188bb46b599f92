using Skiff.Linux;

namespace Skiff.Runtime.Container;

public enum Status { Creating, Created, Running, Paused, Stopped }

/// <summary>Works out a container's status from its init process, exec fifo and freezer.</summary>
public static class ContainerStatus
{
    public static string Name(Status s) => s switch
    {
        Status.Creating => "creating", Status.Created => "created", Status.Running => "running",
        Status.Paused => "paused", _ => "stopped",
    };

    public static Status Of(ContainerRecord r, StateStore store)
    {
        if (!IsAlive(r.Pid, r.PidStartTime)) return Status.Stopped;
        if (File.Exists(store.FifoPath(r.Id))) return Status.Created;
        if (IsFrozen(r)) return Status.Paused;
        return Status.Running;
    }

    static bool IsFrozen(ContainerRecord r)
    {
        // v1 freezer of this container's cgroup; the cgroup manager owns the full logic (pause/resume).
        if (r.CgroupsPath is null) return false;
        try
        {
            var v1 = Path.Combine("/sys/fs/cgroup/freezer", r.CgroupsPath.TrimStart('/'), "freezer.state");
            if (File.Exists(v1)) return Files.ReadText(v1).StartsWith("FROZEN", StringComparison.Ordinal);
            var v2 = Path.Combine("/sys/fs/cgroup", r.CgroupsPath.TrimStart('/'), "cgroup.freeze");
            if (File.Exists(v2)) return Files.ReadText(v2).StartsWith('1');
        }
        catch (LinuxException) { }
        return false;
    }

    /// <summary>True if <paramref name="pid"/> runs and is the process that started at <paramref name="startTime"/>
    /// (not a zombie, not a later process that reused the number).</summary>
    public static bool IsAlive(int pid, ulong startTime)
    {
        if (pid <= 0) return false;
        var stat = ProcStat.TryRead(pid);
        return stat is { } s && s.State != 'Z' && s.State != 'X' && (startTime == 0 || s.StartTime == startTime);
    }
}

/// <summary>The fields of /proc/&lt;pid&gt;/stat that oar needs.</summary>
public readonly record struct ProcStat(char State, ulong StartTime)
{
    public static ProcStat? TryRead(int pid)
    {
        // Checked by errno, not by exception: after a container exits this is the common case, and a thrown
        // exception costs more than the whole read.
        string text;
        using (var fd = Files.TryOpen($"/proc/{pid}/stat", Files.O_RDONLY, out _))
        {
            if (!fd.IsValid) return null;
            try { text = Files.ReadToEnd(fd.Value); }
            catch (LinuxException) { return null; } // ESRCH: it went away between open and read
        }
        // comm may contain spaces and parentheses: fields start after the last ')'.
        int close = text.LastIndexOf(')');
        if (close < 0) return null;
        var fields = text[(close + 2)..].Split(' ');
        // fields[0] is field 3 (state); start time is field 22 → fields[19].
        return new ProcStat(fields[0][0], ulong.Parse(fields[19]));
    }
}
