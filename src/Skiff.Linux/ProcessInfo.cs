using System.Runtime.InteropServices;

namespace Skiff.Linux;

public static unsafe partial class Processes
{
    [LibraryImport("libc", EntryPoint = "signal", SetLastError = true)] private static partial nint signal_(int sig, nint handler);

    /// <summary>Sets <paramref name="sig"/>'s disposition to SIG_IGN (e.g. SIGPIPE in a process that writes to
    /// peers that may vanish).</summary>
    public static void Ignore(int sig) => signal_(sig, 1 /* SIG_IGN */);

    /// <summary>A process's start time in clock ticks after boot (/proc/&lt;pid&gt;/stat field 22), or null when
    /// there is no such process. With the pid it names one process for good: pids are recycled, start times
    /// do not repeat.</summary>
    public static ulong? StartTime(int pid)
    {
        string stat;
        try { stat = File.ReadAllText($"/proc/{pid}/stat"); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
        // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
        int close = stat.LastIndexOf(')');
        if (close < 0) return null;
        var fields = stat[(close + 2)..].Split(' ');
        // fields[0] is field 3 (state); field 22 is at index 19.
        return fields.Length > 19 && ulong.TryParse(fields[19], out var t) ? t : null;
    }

    /// <summary>The process state letter (/proc/&lt;pid&gt;/stat field 3: R, S, D, Z, T, …) or null if gone.</summary>
    public static char? State(int pid)
    {
        string stat;
        try { stat = File.ReadAllText($"/proc/{pid}/stat"); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
        int close = stat.LastIndexOf(')');
        return close >= 0 && close + 2 < stat.Length ? stat[close + 2] : null;
    }
}
