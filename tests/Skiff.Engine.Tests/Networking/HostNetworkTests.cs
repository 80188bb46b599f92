namespace Skiff.Engine.Tests.Networking;

/// <summary>`--network host` as docker has it: the host's network namespace but a private UTS namespace whose hostname is
/// the host's (or --hostname's, which never changes the host's), and the host's /etc/hosts (unless --add-host asks
/// for entries). Also `network ls --filter` with docker's semantics.</summary>
[Collection("Networking")]
public sealed class HostNetworkTests : IDisposable
{
    readonly EngineNetworkBed _bed = new();
    EngineRoot E => _bed.E;

    public void Dispose() => _bed.Dispose();

    static string HostName => File.ReadAllText("/proc/sys/kernel/hostname").Trim();

    static string Link(string path) => new FileInfo(path).LinkTarget ?? "";

    [Fact]
    public void Host_network_sees_the_hosts_name_and_hosts_file_in_a_private_uts_namespace()
    {
        var r = E.Ok("run", "--rm", "--network", "host", EngineRoot.Image, "sh", "-c",
            "hostname; echo ---; cat /etc/hostname; echo ---; busybox readlink /proc/self/ns/uts; busybox readlink /proc/self/ns/net; echo ---; cat /etc/hosts; echo \"HOSTNAME=$HOSTNAME\"");
        var parts = r.Split("---\n");
        Assert.Equal(HostName + "\n", parts[0]);
        Assert.Equal(HostName + "\n", parts[1]);
        var ns = parts[2].Split('\n');
        Assert.NotEqual(Link("/proc/self/ns/uts"), ns[0]); // private UTS namespace, as docker
        Assert.Equal(Link("/proc/self/ns/net"), ns[1]);    // the host's network
        Assert.Equal(File.ReadAllText("/etc/hosts") + $"HOSTNAME={HostName}\n", parts[3]);

        var name = $"hn{_bed.Tag}";
        E.Ok("create", "--name", name, "--network", "host", EngineRoot.Image, "true");
        Assert.Equal(HostName, E.Inspect(name).GetProperty("Config").GetProperty("Hostname").GetString());

        // --hostname with host networking: the container's own name in its UTS namespace; the host keeps its name.
        var before = HostName;
        Assert.Equal("custom-host\n", E.Ok("run", "--rm", "--network", "host", "--hostname", "custom-host", EngineRoot.Image, "hostname"));
        Assert.Equal(before, HostName);

        // --add-host: docker then writes the container's own hosts file instead of copying the host's.
        var hosts = E.Ok("run", "--rm", "--network", "host", "--add-host", "db.example:192.0.2.10", EngineRoot.Image, "cat", "/etc/hosts");
        Assert.Contains("192.0.2.10\tdb.example\n", hosts);
        Assert.StartsWith("127.0.0.1\tlocalhost\n", hosts);
    }

    [Fact]
    public void Network_ls_filters_follow_docker()
    {
        var web = $"pweb{_bed.Tag}"; // letters no hex tag contains, so substring filters cannot hit the tag
        var db = $"pdb{_bed.Tag}";
        var other = $"other{_bed.Tag}";
        _bed.CreateNetwork(web, "--label", "tier=front", "--label", "team=a");
        _bed.CreateNetwork(db, "--label", "tier=back", "--label", "team=a");
        _bed.CreateNetwork(other);
        string[] Names(params string[] filters)
            => E.Ok(["network", "ls", "--format", "{{.Name}}", .. filters.SelectMany(f => new[] { "--filter", f })])
                .Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(n => n.EndsWith(_bed.Tag) || n is "bridge" or "host" or "none").ToArray();

        Assert.Equal([db, web], Names($"name=p"));                               // a part of the name
        Assert.Equal([web], Names($"name=^pw"));                               // a regular expression
        Assert.Equal([db, web], Names($"name={web}", $"name={db}"));             // same key: either
        Assert.Equal([web], Names($"name=p", "label=tier=front"));               // different keys: both
        Assert.Equal([db, web], Names("label=team=a"));
        Assert.Equal([web], Names("label=team=a", "label=tier=front"));          // every label must be there
        Assert.Equal([db], Names("label=team", "label!=tier=front"));
        Assert.Equal(["bridge", other, db, web], Names("driver=bridge"));
        Assert.Equal(["host"], Names("driver=host"));
        Assert.Equal(["bridge", "host", "none"], Names("type=builtin"));
        Assert.Equal([other, db, web], Names("type=custom"));
        Assert.Equal([other, db, web], Names("dangling=true"));
        var id = _bed.NetworkInspect(web).GetProperty("Id").GetString()!;
        Assert.Equal([web], Names($"id={id[..10]}"));
        Assert.Equal([web], Names($"id={id}"));

        E.Ok("run", "-d", "--name", $"fc{_bed.Tag}", "--network", web, EngineRoot.Image, "sleep", "600");
        Assert.Equal([other, db], Names("dangling=true"));
        Assert.Equal(["bridge", "host", "none", web], Names("dangling=false"));

        var bad = E.Run("network", "ls", "--filter", "colour=red");
        Assert.Equal(1, bad.Exit);
        Assert.Contains("invalid filter 'colour'", bad.Err);
        Assert.Contains("invalid filter: 'type'='odd'", E.Run("network", "ls", "--filter", "type=odd").Err);
    }
}
