namespace Oar.Cli;

/// <summary>Signal names and numbers as `kill` accepts them: 9, KILL, SIGKILL, sigkill.</summary>
public static class SignalNames
{
    static readonly string[] Names =
    [
        "", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM",
        "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF",
        "WINCH", "IO", "PWR", "SYS",
    ];

    public static int Parse(string s)
    {
        if (int.TryParse(s, out int n))
        {
            if (n is < 1 or > 64) throw new UsageException($"kill: invalid signal number {n}");
            return n;
        }
        var name = s.ToUpperInvariant();
        if (name.StartsWith("SIG", StringComparison.Ordinal)) name = name[3..];
        if (name == "IOT") return 6;
        if (name == "CLD") return 17;
        if (name == "POLL") return 29;
        if (name.StartsWith("RTMIN", StringComparison.Ordinal)) return 34 + Offset(name[5..]);
        if (name.StartsWith("RTMAX", StringComparison.Ordinal)) return 64 + Offset(name[5..]);
        int i = Array.IndexOf(Names, name);
        if (i <= 0) throw new UsageException($"kill: unknown signal \"{s}\"");
        return i;
    }

    static int Offset(string s) => s.Length == 0 ? 0 : int.Parse(s);
}
