using System.Collections;

namespace Skiff.Shim;

/// <summary>The process environment as KEY=VALUE strings, passed on to the detached shim and the runtime.</summary>
static class Environ
{
    public static List<string> Current()
    {
        var list = new List<string>();
        foreach (DictionaryEntry e in Environment.GetEnvironmentVariables()) list.Add($"{e.Key}={e.Value}");
        if (!list.Exists(s => s.StartsWith("PATH=", StringComparison.Ordinal)))
            list.Add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        return list;
    }
}
