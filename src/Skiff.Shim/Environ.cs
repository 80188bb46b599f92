using System.Text;

namespace Skiff.Shim;

/// <summary>
/// The process environment as KEY=VALUE strings, passed on to the detached shim and the runtime. Built fresh from
/// /proc/self/environ for each spawn (the shim never changes its environment) rather than through
/// <see cref="Environment.GetEnvironmentVariables"/>, which caches a dictionary of every variable for the life of
/// the process — a few KB to tens of KB of heap an idle shim would keep.
/// </summary>
static class Environ
{
    const string DefaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    public static List<string> Current()
    {
        var list = new List<string>();
        ReadOnlySpan<byte> rest = File.ReadAllBytes("/proc/self/environ");
        bool hasPath = false;
        while (rest.Length > 0)
        {
            int end = rest.IndexOf((byte)0);
            var entry = end < 0 ? rest : rest[..end];
            rest = end < 0 ? default : rest[(end + 1)..];
            if (entry.IndexOf((byte)'=') <= 0) continue;
            hasPath |= entry.StartsWith("PATH="u8);
            list.Add(Encoding.UTF8.GetString(entry));
        }
        if (!hasPath) list.Add(DefaultPath);
        return list;
    }
}
