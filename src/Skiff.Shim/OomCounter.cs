using System.Globalization;
using Skiff.Linux;

namespace Skiff.Shim;

/// <summary>
/// Tells whether the kernel OOM-killed something in the container's memory cgroup during a run: the cgroup's
/// <c>oom_kill</c> counter (v1 memory.oom_control, v2 memory.events) is read when the run starts and again when it
/// ends, before the runtime deletes the cgroup.
/// </summary>
sealed class OomCounter
{
    readonly string file;
    readonly long baseline;

    OomCounter(string file) { this.file = file; baseline = Read(file); }

    /// <summary>The counter of <paramref name="pid"/>'s memory cgroup, or null when there is none to read.</summary>
    public static OomCounter? ForProcess(int pid)
    {
        string[] lines;
        try { lines = File.ReadAllLines($"/proc/{pid}/cgroup"); } catch (IOException) { return null; }
        string? v2 = null;
        foreach (var line in lines)
        {
            var parts = line.Split(':', 3);
            if (parts.Length != 3) continue;
            if (parts[1].Split(',').Contains("memory"))
            {
                var f = $"/sys/fs/cgroup/memory{parts[2]}/memory.oom_control";
                if (File.Exists(f)) return new OomCounter(f);
            }
            if (parts[0] == "0" && parts[1].Length == 0) v2 = parts[2];
        }
        if (v2 is null) return null;
        foreach (var root in new[] { "/sys/fs/cgroup", "/sys/fs/cgroup/unified" })
        {
            var f = $"{root}{v2}/memory.events";
            if (File.Exists(f)) return new OomCounter(f);
        }
        return null;
    }

    /// <summary>True when the counter grew since the run started.</summary>
    public bool Fired() => Read(file) > baseline;

    static long Read(string file)
    {
        try
        {
            foreach (var line in File.ReadAllLines(file))
                if (line.StartsWith("oom_kill ", StringComparison.Ordinal) && long.TryParse(line.AsSpan(9), NumberStyles.Integer, NumberFormatInfo.InvariantInfo, out long n)) return n;
        }
        catch (IOException) { }
        return 0;
    }
}
