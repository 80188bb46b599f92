namespace Skiff.Engine.Networking;

/// <summary>
/// A container's /etc/resolv.conf: the host's, minus nameservers on loopback (127.0.0.0/8, ::1 — a resolver on the
/// host's loopback is unreachable from the container's namespace). search/options lines are kept.
/// </summary>
static class ResolvConf
{
    public static string Render(string hostResolvConf = "/etc/resolv.conf")
    {
        string[] lines;
        try { lines = File.ReadAllLines(hostResolvConf); }
        catch (IOException) { return ""; }
        catch (UnauthorizedAccessException) { return ""; }
        var kept = new List<string>();
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            var f = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (f.Length == 0 || f[0].StartsWith('#') || f[0].StartsWith(';')) continue;
            if (f[0] == "nameserver")
            {
                if (f.Length < 2 || f[1].StartsWith("127.", StringComparison.Ordinal) || f[1] == "::1") continue;
                kept.Add($"nameserver {f[1]}");
            }
            else if (f[0] is "search" or "domain" or "options") kept.Add(string.Join(' ', f));
        }
        return kept.Count == 0 ? "" : string.Join('\n', kept) + "\n";
    }
}
