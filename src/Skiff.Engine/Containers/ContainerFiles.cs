using System.Text;

namespace Skiff.Engine.Containers;

/// <summary>The files the engine bind-mounts over /etc/hostname, /etc/hosts and /etc/resolv.conf. They are rewritten in
/// place (same inode) so a running container sees updates.</summary>
internal static class ContainerFiles
{
    public static void Write(ContainerRecord rec)
    {
        var cfg = rec.Config;
        WriteInPlace(rec.HostnamePath, cfg.Hostname + "\n");
        if (rec.HostConfig.NetworkMode == "host")
        {
            // docker: the host's file, unless --add-host asks for entries (then its own file, so a host name can be overridden).
            if (rec.HostConfig.ExtraHosts is { Count: > 0 }) WriteInPlace(rec.HostsPath, Hosts(rec, null));
            else Copy("/etc/hosts", rec.HostsPath);
            Copy("/etc/resolv.conf", rec.ResolvConfPath);
            return;
        }
        WriteInPlace(rec.HostsPath, Hosts(rec, null));
        WriteInPlace(rec.ResolvConfPath, ResolvConf(rec.HostConfig));
    }

    /// <summary>docker's hosts file: loopback names, the IPv6 well-known names, then the container's own address.</summary>
    public static string Hosts(ContainerRecord rec, string? ip)
    {
        var sb = new StringBuilder();
        sb.Append("127.0.0.1\tlocalhost\n");
        sb.Append("::1\tlocalhost ip6-localhost ip6-loopback\n");
        sb.Append("fe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n");
        foreach (var e in rec.HostConfig.ExtraHosts ?? [])
        {
            var i = e.IndexOf(':');
            if (i > 0) sb.Append(e[(i + 1)..]).Append('\t').Append(e[..i]).Append('\n');
        }
        if (ip is not null)
        {
            var host = rec.Config.Hostname;
            if (!string.IsNullOrEmpty(rec.Config.Domainname)) host = $"{host}.{rec.Config.Domainname} {host}";
            sb.Append(ip).Append('\t').Append(host).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>The host's resolv.conf without loopback nameservers (they mean nothing in another network namespace),
    /// with --dns/--dns-search/--dns-option replacing the host's values.</summary>
    public static string ResolvConf(HostConfig hc)
    {
        string host = "";
        try { host = File.ReadAllText("/etc/resolv.conf"); } catch (IOException) { }
        var servers = new List<string>();
        var search = new List<string>();
        var options = new List<string>();
        foreach (var raw in host.Split('\n'))
        {
            var f = raw.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 2) continue;
            if (f[0] == "nameserver" && !f[1].StartsWith("127.") && f[1] != "::1") servers.Add(f[1]);
            else if (f[0] is "search" or "domain") search.AddRange(f.Skip(1));
            else if (f[0] == "options") options.AddRange(f.Skip(1));
        }
        if (hc.Dns.Count > 0) servers = hc.Dns;
        if (hc.DnsSearch.Count > 0) search = hc.DnsSearch;
        if (hc.DnsOptions.Count > 0) options = hc.DnsOptions;
        var sb = new StringBuilder();
        foreach (var s in servers) sb.Append("nameserver ").Append(s).Append('\n');
        if (search.Count > 0) sb.Append("search ").Append(string.Join(' ', search)).Append('\n');
        if (options.Count > 0) sb.Append("options ").Append(string.Join(' ', options)).Append('\n');
        return sb.ToString();
    }

    static void Copy(string from, string to)
    {
        string text = "";
        try { text = File.ReadAllText(from); } catch (IOException) { }
        WriteInPlace(to, text);
    }

    /// <summary>Truncates and rewrites the same inode (a rename would leave running containers with the old file).</summary>
    public static void WriteInPlace(string path, string text)
    {
        using var fs = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite);
        var bytes = Encoding.UTF8.GetBytes(text);
        fs.SetLength(0);
        fs.Write(bytes);
    }
}
