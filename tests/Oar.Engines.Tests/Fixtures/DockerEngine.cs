using Oar.Tests.Fixtures;

namespace Oar.Engines.Tests.Fixtures;

/// <summary>
/// dockerd on its own containerd, with oar added as the runtime "oar" (`--add-runtime`), everything under one
/// scratch dir. No bridge and no iptables: the host's network is left alone and containers run with
/// `--network none`. Containers go under a cgroup parent of their own, removed at the end.
/// </summary>
public sealed class DockerEngine : IDisposable
{
    public const string Image = "skiff-busybox";
    public const string DockerCli = "/usr/bin/docker";
    public string Dir { get; }
    public string Socket => Path.Combine(Dir, "docker.sock");
    public string CgroupParent { get; } = $"skiff-engines-docker-{Environment.ProcessId}";
    public string Oar { get; } = OarBinary.Path;
    Containerd? containerd;
    Daemon? dockerd;
    BusyboxImage? image;

    public DockerEngine()
    {
        Dir = Directory.CreateTempSubdirectory("skiff-docker-").FullName;
        try { Start(); }
        catch { Dispose(); throw; }
    }

    void Start()
    {
        foreach (var tool in new[] { "/usr/sbin/dockerd", DockerCli, "/usr/bin/containerd" })
            if (!File.Exists(tool)) throw new InvalidOperationException($"{tool} is missing: apt-get install docker.io");
        containerd = new Containerd(Path.Combine(Dir, "containerd"));
        var daemonJson = Path.Combine(Dir, "daemon.json");
        File.WriteAllText(daemonJson, "{}");
        dockerd = new Daemon("dockerd", Path.Combine(Dir, "dockerd.log"), "/usr/sbin/dockerd",
            "--config-file", daemonJson, "--containerd", containerd.Socket,
            "--data-root", Path.Combine(Dir, "data"), "--exec-root", Path.Combine(Dir, "exec"),
            "--pidfile", Path.Combine(Dir, "dockerd.pid"), "--host", "unix://" + Socket,
            "--bridge=none", "--iptables=false", "--ip6tables=false",
            "--cgroup-parent", "/" + CgroupParent, "--add-runtime", "oar=" + Oar);
        dockerd.WaitUntil(() => File.Exists(Socket) && Docker("version").ExitCode == 0, "serving on " + Socket);
        image = new BusyboxImage(Path.Combine(Dir, "image"));
        var imported = Command.Run(DockerCli, ["--host", "unix://" + Socket, "import", "-", Image], File.ReadAllBytes(image.Tarball), CliEnv);
        if (imported.ExitCode != 0) throw new InvalidOperationException("docker import failed:\n" + imported);
    }

    /// <summary>The docker CLI with its own config dir, talking to our daemon only.</summary>
    public Dictionary<string, string> CliEnv => new() { ["DOCKER_CONFIG"] = Path.Combine(Dir, "cli"), ["DOCKER_HOST"] = "unix://" + Socket };

    public Result Docker(params string[] args) => Command.Run(DockerCli, ["--host", "unix://" + Socket, .. args], env: CliEnv);

    /// <summary>`docker run --rm --runtime oar --network none [flags] skiff-busybox cmd…`.</summary>
    public Result Run(string[] flags, params string[] command)
        => Docker(["run", "--rm", "--runtime", "oar", "--network", "none", .. flags, Image, .. command]);

    public string CommandLine(params string[] args)
        => string.Join(' ', new[] { DockerCli, "--host", "unix://" + Socket }.Concat(args).Select(Command.Quote));

    /// <summary>`oar state` of a container, in the --root the shim gave oar (a directory named after the
    /// container under the exec root).</summary>
    public Result OarState(string id)
    {
        var dir = Directory.EnumerateDirectories(Path.Combine(Dir, "exec"), id, SearchOption.AllDirectories)
            .FirstOrDefault(d => Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(d))!).StartsWith("runtime-", StringComparison.Ordinal));
        if (dir is null) return new Result(-1, "", $"no runtime state directory for {id} under {Dir}/exec");
        return Command.Run(Oar, "--root", Path.GetDirectoryName(dir)!, "state", id);
    }

    public string Logs => $"dockerd:\n{dockerd?.Log}\ncontainerd:\n{containerd?.Log}";

    public void Dispose()
    {
        if (dockerd is not null)
        {
            var ids = Docker("ps", "-aq").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (ids.Length > 0) Docker(["rm", "-f", .. ids]);
            dockerd.Dispose();
        }
        containerd?.Dispose();
        HostCleanup.KillProcesses(Dir);
        HostCleanup.Unmount(Dir);
        HostCleanup.RemoveCgroups(CgroupParent);
        image?.Dispose();
        HostCleanup.RemoveTree(Dir);
    }
}
