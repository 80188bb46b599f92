using System.Text;
using Skiff.Linux;
using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Init;

/// <summary>Writes a new user namespace's uid_map and gid_map from the parent (which holds the privileges to).</summary>
public static class IdMaps
{
    public static void Write(int pid, Spec.Linux linux)
    {
        Write($"/proc/{pid}/uid_map", linux.UidMappings);
        Write($"/proc/{pid}/gid_map", linux.GidMappings);
    }

    static void Write(string file, List<IdMapping>? maps)
    {
        if (maps is null || maps.Count == 0) return;
        var sb = new StringBuilder();
        foreach (var m in maps) sb.Append(m.ContainerId).Append(' ').Append(m.HostId).Append(' ').Append(m.Size).Append('\n');
        try { Files.WriteText(file, sb.ToString(), Files.O_WRONLY); }
        catch (LinuxException e) { throw new RuntimeException("create: write user namespace map", $"{file}: {e.Message}"); }
    }
}
