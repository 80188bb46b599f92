using System.Diagnostics;
using System.Text;
using Skiff.Linux;
using Skiff.Linux.Netlink;

namespace Skiff.Engine.Networking;

/// <summary>
/// Skiff's packet rules: one nftables table (family ip) whose rules never change per container. Containers and
/// networks only add or remove set/map elements:
/// <list type="bullet">
/// <item>ports / ports_ip: published ports (proto . port, or host address . proto . port) → container address . port,
/// looked up by DNAT in prerouting (traffic from outside) and output (traffic from the host itself, e.g. to 127.0.0.1);</item>
/// <item>subnets / bridges: traffic from a network's subnet leaving through a non-Skiff interface is masqueraded; traffic
/// from 127.0.0.0/8 that was DNAT-ed onto a bridge is masqueraded too (it needs route_localnet on the bridge);</item>
/// <item>internal / internal_pairs: forwarding in or out of an internal network's bridge is dropped;</item>
/// <item>isolated + bridge_pairs (each bridge, and each bridge paired with itself, always added together): forwarding
/// from one isolated bridge to another is dropped, so networks are isolated from each other (docker's
/// DOCKER-ISOLATION chains); within a bridge traffic flows. A bridge only in `bridges` (written by an older Skiff that
/// shares the table) is never matched, so mixing versions cannot cut a network's own traffic.</item>
/// </list>
/// The table and a network's elements are written as one `nft -f -` batch (one kernel transaction: all or nothing);
/// published ports are added/removed over nf_tables netlink directly (<see cref="Publish"/>, <see cref="Unpublish"/>).
/// </summary>
sealed class Nftables(string table) : IDisposable
{
    /// <summary>Bumped whenever <see cref="BaseStatements"/> changes, so tables written by an older Skiff are re-applied.</summary>
    public const int RulesVersion = 2;

    public string Table { get; } = table;
    NetlinkSocket? _netfilter;
    readonly Lock _lock = new();

    /// <summary>An nf_tables netlink socket for the per-container element changes (no nft process for those).</summary>
    NetlinkSocket Netfilter
    {
        get { lock (_lock) return _netfilter ??= NetlinkSocket.Open(NetlinkSocket.NETLINK_NETFILTER); }
    }

    public bool TableExists() => Netfilter.NftTableExists(Table);

    /// <summary>
    /// Publishes ports straight over nf_tables netlink (`create element`, one transaction per map). A port already in
    /// a map fails with EEXIST (and what this call added to the other map is taken back). Other kernel errors fall
    /// back to one `nft` batch.
    /// </summary>
    public void Publish(string containerIp, IReadOnlyList<PortBinding> ports, string step)
    {
        var target = Ipv4Address.Parse(containerIp, "container address");
        var any = ports.Where(p => p.AnyHostIp).Select(p => (Key(p), (byte[]?)Data(target, p))).ToList();
        var specific = ports.Where(p => !p.AnyHostIp).Select(p => (Key(p), (byte[]?)Data(target, p))).ToList();
        try
        {
            if (any.Count > 0) Netfilter.NftCreateElements(Table, "ports", any);
            try { if (specific.Count > 0) Netfilter.NftCreateElements(Table, "ports_ip", specific); }
            catch
            {
                foreach (var (key, _) in any) try { Netfilter.NftDeleteElement(Table, "ports", key); } catch (LinuxException) { }
                throw;
            }
        }
        catch (LinuxException e) when (e.Errno == Errno.EEXIST) { throw new NftablesException(step, "File exists (netlink)"); }
        catch (LinuxException) { Apply(PublishStatements(containerIp, ports), step); }
    }

    /// <summary>Removes published ports over netlink, one element at a time; elements already gone are fine.</summary>
    public void Unpublish(IReadOnlyList<PortBinding> ports)
    {
        foreach (var p in ports)
        {
            try { Netfilter.NftDeleteElement(Table, p.AnyHostIp ? "ports" : "ports_ip", Key(p)); }
            catch (LinuxException e) when (e.Errno == Errno.ENOENT) { }
            catch (LinuxException) { ApplyTolerant(UnpublishStatements([p])); }
        }
    }

    /// <summary>Set keys as the kernel stores concatenations: every field padded to 4 bytes, in network order.</summary>
    static byte[] Key(PortBinding p)
    {
        byte proto = p.Proto == "udp" ? (byte)17 : (byte)6;
        byte[] tail = [proto, 0, 0, 0, (byte)(p.HostPort >> 8), (byte)p.HostPort, 0, 0];
        return p.AnyHostIp ? tail : [.. Ipv4Address.Parse(p.HostIp, "host IP").Bytes(), .. tail];
    }

    static byte[] Data(Ipv4Address target, PortBinding p) => [.. target.Bytes(), (byte)(p.ContainerPort >> 8), (byte)p.ContainerPort, 0, 0];

    public void Dispose() => _netfilter?.Dispose();

    /// <summary>The table, its sets/maps and its fixed rules; idempotent (chains are flushed and refilled in the same batch).</summary>
    public string BaseStatements()
    {
        var t = $"ip {Table}";
        return $"""
            add table {t}
            add map {t} ports {"{"} type inet_proto . inet_service : ipv4_addr . inet_service; {"}"}
            add map {t} ports_ip {"{"} type ipv4_addr . inet_proto . inet_service : ipv4_addr . inet_service; {"}"}
            add set {t} subnets {"{"} type ipv4_addr; flags interval; {"}"}
            add set {t} bridges {"{"} type ifname; {"}"}
            add set {t} internal {"{"} type ifname; {"}"}
            add set {t} internal_pairs {"{"} type ifname . ifname; {"}"}
            add set {t} isolated {"{"} type ifname; {"}"}
            add set {t} bridge_pairs {"{"} type ifname . ifname; {"}"}
            add chain {t} publish
            add chain {t} prerouting {"{"} type nat hook prerouting priority dstnat; policy accept; {"}"}
            add chain {t} output {"{"} type nat hook output priority -100; policy accept; {"}"}
            add chain {t} postrouting {"{"} type nat hook postrouting priority srcnat; policy accept; {"}"}
            add chain {t} forward {"{"} type filter hook forward priority filter; policy accept; {"}"}
            flush chain {t} publish
            flush chain {t} prerouting
            flush chain {t} output
            flush chain {t} postrouting
            flush chain {t} forward
            add rule {t} publish meta l4proto {"{"} tcp, udp {"}"} dnat ip to ip daddr . meta l4proto . th dport map @ports_ip
            add rule {t} publish meta l4proto {"{"} tcp, udp {"}"} dnat ip to meta l4proto . th dport map @ports
            add rule {t} prerouting fib daddr type local jump publish
            add rule {t} output fib daddr type local jump publish
            add rule {t} postrouting oifname @bridges ct status dnat ip saddr 127.0.0.0/8 masquerade
            add rule {t} postrouting ip saddr @subnets oifname != @bridges masquerade
            add rule {t} forward iifname @internal iifname . oifname != @internal_pairs drop
            add rule {t} forward oifname @internal iifname . oifname != @internal_pairs drop
            add rule {t} forward iifname @isolated oifname @isolated iifname . oifname != @bridge_pairs counter drop comment "skiff: isolation between networks"

            """;
    }

    /// <summary>A network's elements (idempotent adds).</summary>
    public string NetworkStatements(NetworkRecord n)
    {
        var t = $"ip {Table}";
        var sb = new StringBuilder();
        sb.Append($"add element {t} bridges {{ \"{n.Bridge}\" }}\n");
        sb.Append($"add element {t} bridge_pairs {{ \"{n.Bridge}\" . \"{n.Bridge}\" }}\n");
        sb.Append($"add element {t} isolated {{ \"{n.Bridge}\" }}\n");
        if (n.Internal)
        {
            sb.Append($"add element {t} internal {{ \"{n.Bridge}\" }}\n");
            sb.Append($"add element {t} internal_pairs {{ \"{n.Bridge}\" . \"{n.Bridge}\" }}\n");
        }
        else sb.Append($"add element {t} subnets {{ {n.Subnet} }}\n");
        return sb.ToString();
    }

    /// <summary>Statements that remove a network's elements, one per line (applied tolerantly).</summary>
    public List<string> RemoveNetworkStatements(NetworkRecord n)
    {
        var t = $"ip {Table}";
        var list = new List<string>
        {
            $"delete element {t} bridges {{ \"{n.Bridge}\" }}",
            $"delete element {t} isolated {{ \"{n.Bridge}\" }}",
            $"delete element {t} bridge_pairs {{ \"{n.Bridge}\" . \"{n.Bridge}\" }}",
        };
        if (n.Internal)
        {
            list.Add($"delete element {t} internal {{ \"{n.Bridge}\" }}");
            list.Add($"delete element {t} internal_pairs {{ \"{n.Bridge}\" . \"{n.Bridge}\" }}");
        }
        else list.Add($"delete element {t} subnets {{ {n.Subnet} }}");
        return list;
    }

    /// <summary>`create` (not `add`): the batch fails if another container already published the same host port.</summary>
    public string PublishStatements(string containerIp, IEnumerable<PortBinding> ports)
    {
        var sb = new StringBuilder();
        foreach (var p in ports) sb.Append($"create element ip {Table} {PortElement(p, containerIp)}\n");
        return sb.ToString();
    }

    public List<string> UnpublishStatements(IEnumerable<PortBinding> ports)
        => ports.Select(p => $"delete element ip {Table} {PortElement(p, null)}").ToList();

    static string PortElement(PortBinding p, string? target)
    {
        var value = target is null ? "" : $" : {target} . {p.ContainerPort}";
        return p.AnyHostIp ? $"ports {{ {p.Proto} . {p.HostPort}{value} }}" : $"ports_ip {{ {p.HostIp} . {p.Proto} . {p.HostPort}{value} }}";
    }

    /// <summary>Runs one batch; a failure throws with nft's own message.</summary>
    public void Apply(string batch, string step)
    {
        var (code, err) = Run(batch);
        if (code != 0) throw new NftablesException(step, err.Trim());
    }

    /// <summary>Removal that must succeed as far as it can: one batch, and if any element was already gone, each
    /// statement on its own (errors ignored), so a half-cleaned state still gets cleaned.</summary>
    public void ApplyTolerant(IReadOnlyList<string> statements)
    {
        if (statements.Count == 0) return;
        if (Run(string.Join('\n', statements) + "\n").Code == 0) return;
        foreach (var s in statements) Run(s + "\n");
    }

    /// <summary>Removes the whole table (tests, `network prune` of everything); missing is fine.</summary>
    public void DeleteTable() => Run($"delete table ip {Table}\n");

    public static string? Binary()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(["/usr/sbin", "/sbin"]))
            if (dir.Length > 0 && File.Exists(Path.Combine(dir, "nft"))) return Path.Combine(dir, "nft");
        return null;
    }

    static (int Code, string Err) Run(string batch)
    {
        var nft = Binary() ?? throw new EngineException(EngineErrorKind.System,
            "bridge networking needs nftables: the `nft` program was not found (Debian package nftables)");
        var psi = new ProcessStartInfo(nft) { RedirectStandardInput = true, RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add("-f");
        psi.ArgumentList.Add("-");
        using var p = Process.Start(psi)!;
        var errTask = p.StandardError.ReadToEndAsync();
        var outTask = p.StandardOutput.ReadToEndAsync();
        p.StandardInput.Write(batch);
        p.StandardInput.Close();
        p.WaitForExit();
        return (p.ExitCode, errTask.Result + outTask.Result);
    }
}

/// <summary>An nft batch that the kernel refused.</summary>
sealed class NftablesException(string step, string nftMessage)
    : EngineException(EngineErrorKind.System, $"{step}: nftables: {nftMessage}")
{
    public string NftMessage { get; } = nftMessage;
    public bool AlreadyExists => NftMessage.Contains("File exists", StringComparison.Ordinal);
}
