using System.Text.Json;
using Skiff.Engine.Networking;
using Skiff.Runtime.Spec;

namespace Skiff.Engine.Tests.Networking;

/// <summary>
/// Real containers run by the real oar binary in sandboxes made by NetworkService (the spec's network namespace
/// has `path` = the sandbox, /etc/hosts and /etc/resolv.conf are bind mounts of the files the service writes):
/// two containers on a user network talk by name, and the host fetches a published port on 127.0.0.1.
/// </summary>
[Collection("Networking")]
public class ContainerNetworkTests : IDisposable
{
    readonly NetworkTestBed _bed = new();
    readonly string _work = Directory.CreateTempSubdirectory("skiff-net-ctr").FullName;
    readonly string _oarRoot;
    readonly List<string> _containers = [];
    NetworkService Net => _bed.Service;

    public ContainerNetworkTests()
    {
        _oarRoot = Path.Combine(_bed.Roots.RunRoot, "oar");
        var rootfs = Path.Combine(_work, "rootfs");
        foreach (var d in new[] { "bin", "proc", "sys", "dev", "etc", "tmp", "www" }) Directory.CreateDirectory(Path.Combine(rootfs, d));
        File.Copy("/bin/busybox", Path.Combine(rootfs, "bin/busybox"));
        File.CreateSymbolicLink(Path.Combine(rootfs, "bin/sh"), "busybox");
        File.WriteAllText(Path.Combine(rootfs, "etc/hosts"), "");
        File.WriteAllText(Path.Combine(rootfs, "etc/resolv.conf"), "");
        File.WriteAllText(Path.Combine(rootfs, "www/index.html"), "served from a container\n");
    }

    static string Oar()
    {
        if (Environment.GetEnvironmentVariable("OAR_BINARY") is { Length: > 0 } env) return env;
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Skiff.slnx"))) dir = Path.GetDirectoryName(dir);
        var path = Path.Combine(dir ?? "/", "out/oar/oar");
        return File.Exists(path) ? path : throw new InvalidOperationException("oar binary not found: set OAR_BINARY or run scripts/build.sh");
    }

    /// <summary>A bundle whose container joins <paramref name="sandbox"/> and sees <paramref name="filesDir"/>'s hosts/resolv.conf.</summary>
    string Bundle(string name, Sandbox sandbox, string filesDir, params string[] args)
    {
        var dir = Path.Combine(_work, name);
        Directory.CreateDirectory(dir);
        var spec = DefaultSpec.Create(rootless: false);
        spec.Process!.Terminal = false;
        spec.Process.Args = [.. args];
        spec.Root!.Path = Path.Combine(_work, "rootfs");
        spec.Root.Readonly = true;
        spec.Hostname = name;
        foreach (var ns in spec.Linux!.Namespaces!) if (ns.Type == "network") ns.Path = sandbox.Path;
        foreach (var f in new[] { "hosts", "resolv.conf" })
            spec.Mounts!.Add(new Mount { Destination = "/etc/" + f, Type = "bind", Source = Path.Combine(filesDir, f), Options = ["rbind", "ro"] });
        File.WriteAllText(Path.Combine(dir, "config.json"), JsonSerializer.Serialize(spec, SpecJson.Default.RuntimeSpec));
        return dir;
    }

    string FilesDir(string name)
    {
        var d = Path.Combine(_work, "files-" + name);
        Directory.CreateDirectory(d);
        return d;
    }

    string Id(string name) => $"nw{_bed.Tag}{name}";

    /// <summary>Starts a long-running container in the background (its stdio on /dev/null).</summary>
    void StartDetached(string name, string bundle)
    {
        _containers.Add(Id(name));
        Sh.Ok($"{Oar()} --root {_oarRoot} create --bundle {bundle} {Id(name)} </dev/null >/dev/null 2>&1 && {Oar()} --root {_oarRoot} start {Id(name)}");
    }

    (int Code, string Out) RunForeground(string name, string bundle)
    {
        _containers.Add(Id(name));
        return Sh.Run($"{Oar()} --root {_oarRoot} run --bundle {bundle} {Id(name)} </dev/null", 60000);
    }

    public void Dispose()
    {
        foreach (var id in _containers) Sh.Run($"{Oar()} --root {_oarRoot} delete --force {id}");
        _bed.Dispose();
        Directory.Delete(_work, true);
    }

    [Fact]
    public void Containers_on_a_user_network_talk_by_name_and_publish_a_port_to_the_host()
    {
        var net = Net.Create(new NetworkCreateRequest { Name = $"app{_bed.Tag}" });
        var server = _bed.Sandbox();
        var serverFiles = FilesDir("web");
        var ep = Net.Connect(server.ContainerId, net.Name, new ConnectRequest
        {
            ContainerName = "web", Hostname = "web", Ports = [new PortBinding { HostIp = "127.0.0.1", HostPort = 0, ContainerPort = 80 }],
        });
        Net.WriteContainerFiles(server.ContainerId, serverFiles);
        StartDetached("web", Bundle("web", server, serverFiles, "/bin/busybox", "httpd", "-f", "-p", "80", "-h", "/www"));

        var client = _bed.Sandbox();
        var clientFiles = FilesDir("client");
        Net.Connect(client.ContainerId, net.Name, new ConnectRequest { ContainerName = "client", Hostname = "client" });
        Net.WriteContainerFiles(client.ContainerId, clientFiles);
        var got = RunForeground("client", Bundle("client", client, clientFiles, "/bin/sh", "-c",
            "for i in $(seq 50); do busybox wget -qO- http://web/index.html && exit 0; sleep 0.1; done; cat /etc/hosts; exit 1"));
        Assert.True(got.Code == 0, got.Out);
        Assert.Equal("served from a container\n", got.Out);

        // The server's hosts file (bind-mounted, read-only inside) was updated in place when the client joined.
        Assert.Contains("\tclient", File.ReadAllText(Path.Combine(serverFiles, "hosts")));

        int port = ep.Ports[0].HostPort;
        Assert.Equal("served from a container\n", Sh.Ok($"curl -sf --max-time 5 http://127.0.0.1:{port}/index.html"));
    }
}
