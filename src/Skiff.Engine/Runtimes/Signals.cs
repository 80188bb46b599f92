namespace Skiff.Engine.Runtimes;

/// <summary>Signal names and numbers as docker accepts them ("SIGTERM", "TERM", "15", "SIGRTMIN+3").</summary>
public static class Signals
{
    static readonly string[] Names = ["", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV",
        "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ",
        "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS"];

    public static int Parse(string s)
    {
        var t = s.Trim().ToUpperInvariant();
        if (int.TryParse(t, out var n) && n > 0 && n <= 64) return n;
        if (t.StartsWith("SIG", StringComparison.Ordinal)) t = t[3..];
        int i = Array.IndexOf(Names, t);
        if (i > 0) return i;
        if (t == "IOT") return 6;
        if (t == "CLD") return 17;
        if (t == "POLL") return 29;
        if (t.StartsWith("RTMIN", StringComparison.Ordinal))
        {
            var off = t.Length == 5 ? 0 : t[5] == '+' && int.TryParse(t[6..], out var k) ? k : -1;
            if (off >= 0 && 34 + off <= 64) return 34 + off;
        }
        if (t.StartsWith("RTMAX", StringComparison.Ordinal))
        {
            var off = t.Length == 5 ? 0 : t[5] == '-' && int.TryParse(t[6..], out var k) ? k : -1;
            if (off >= 0 && 64 - off >= 34) return 64 - off;
        }
        throw EngineException.Invalid($"Invalid signal: {s}");
    }
}
