using System.Text;
using Skiff.Linux;

namespace Skiff.Engine.Networking;

/// <summary>
/// A container's /etc/hosts: localhost, its own address with its hostname, name and aliases, and every peer on the
/// user-defined networks it shares (name resolution between containers without a DNS server). The file is rewritten
/// in place (same inode) because it is bind-mounted into running containers.
/// </summary>
static class HostsFile
{
    public static string Render(string containerId, IReadOnlyList<NetworkRecord> networks, string? hostname)
    {
        var sb = new StringBuilder();
        sb.Append("127.0.0.1\tlocalhost\n");
        sb.Append("::1\tlocalhost ip6-localhost ip6-loopback\n");
        sb.Append("fe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n");
        var own = networks.Select(n => n.Endpoints.GetValueOrDefault(containerId)).FirstOrDefault(e => e is not null);
        if (own is not null)
        {
            var names = Names(hostname ?? own.Hostname, own);
            if (names.Count > 0) sb.Append($"{own.IPAddress}\t{string.Join(' ', names)}\n");
        }
        else if (!string.IsNullOrEmpty(hostname)) sb.Append($"127.0.1.1\t{hostname}\n");
        var seen = new HashSet<string>();
        foreach (var n in networks)
        {
            if (n.IsDefault || !n.Endpoints.TryGetValue(containerId, out var mine)) continue;
            if (mine.IPAddress != own?.IPAddress) sb.Append($"{mine.IPAddress}\t{string.Join(' ', Names(hostname ?? mine.Hostname, mine))}\n");
            foreach (var peer in n.Endpoints.Values.OrderBy(e => e.ContainerName, StringComparer.Ordinal))
            {
                if (peer.ContainerId == containerId || !seen.Add(n.Id + peer.ContainerId)) continue;
                var names = Names(peer.Hostname, peer);
                if (names.Count > 0) sb.Append($"{peer.IPAddress}\t{string.Join(' ', names)}\n");
            }
        }
        return sb.ToString();
    }

    static List<string> Names(string hostname, EndpointRecord e)
    {
        var list = new List<string>();
        foreach (var n in new[] { hostname, e.ContainerName }.Concat(e.Aliases))
            if (!string.IsNullOrEmpty(n) && !list.Contains(n)) list.Add(n);
        return list;
    }

    /// <summary>Writes <paramref name="text"/> into <paramref name="path"/> keeping its inode (truncate + write).</summary>
    public static void WriteInPlace(string path, string text)
    {
        using var fd = Files.Open(path, Files.O_WRONLY | Files.O_CREAT | Files.O_TRUNC, 0x1a4);
        Files.WriteAll(fd.Value, Encoding.UTF8.GetBytes(text), path);
    }
}
