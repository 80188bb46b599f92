using Oar.Tests.Fixtures;

namespace Oar.Engines.Tests.Fixtures;

/// <summary>
/// Podman (daemonless: podman → conmon → oar) with `--runtime` the oar binary, all storage under one scratch dir.
/// Root here lacks CAP_SYS_RESOURCE and RLIMIT_NOFILE's hard limit is 20000, so podman's default ulimits (nofile
/// 1048576) would fail setrlimit: a containers.conf of our own lowers them.
/// </summary>
public sealed class PodmanEngine : IDisposable
{
    public const string Image = "localhost/skiff-busybox";
    public string Dir { get; }
    public string CgroupParent { get; } = $"/skiff-engines-podman-{Environment.ProcessId}";
    public string Oar { get; } = OarBinary.Path;
    BusyboxImage? image;

    public PodmanEngine()
    {
        Dir = Directory.CreateTempSubdirectory("skiff-podman-").FullName;
        try { Start(); }
        catch { Dispose(); throw; }
    }

    void Start()
    {
        if (!File.Exists("/usr/bin/podman")) throw new InvalidOperationException("/usr/bin/podman is missing: apt-get install podman");
        Directory.CreateDirectory(Path.Combine(Dir, "tmp"));
        // The defaults become the hard limits this process holds (podman asks for 1048576 of each).
        string Hard(string name) => File.ReadLines("/proc/self/limits").First(l => l.StartsWith(name, StringComparison.Ordinal))
            [25..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        // Under podman, oar holds an RLIMIT_NPROC hard limit of 32768 on this machine (seen in its error).
        var nproc = Math.Min(long.Parse(Hard("Max processes")), 32768);
        File.WriteAllText(Path.Combine(Dir, "containers.conf"), $"""
            [containers]
            default_ulimits = ["nofile={Hard("Max open files")}:{Hard("Max open files")}", "nproc={nproc}:{nproc}"]
            [engine]
            cgroup_manager = "cgroupfs"
            events_logger = "file"
            events_logfile_path = "{Dir}/events.log"
            """);
        image = new BusyboxImage(Path.Combine(Dir, "image"));
        var imported = Command.Run("/usr/bin/podman", [.. GlobalFlags, "import", image.Tarball, "skiff-busybox"], env: Env);
        if (imported.ExitCode != 0) throw new InvalidOperationException("podman import failed:\n" + imported);
    }

    public Dictionary<string, string> Env => new() { ["CONTAINERS_CONF"] = Path.Combine(Dir, "containers.conf") };

    string[] GlobalFlags =>
    [
        "--root", Path.Combine(Dir, "root"), "--runroot", Path.Combine(Dir, "runroot"), "--tmpdir", Path.Combine(Dir, "tmp"),
        "--runtime", Oar, "--cgroup-manager", "cgroupfs", "--events-backend", "file",
    ];

    public Result Podman(params string[] args) => Command.Run("/usr/bin/podman", [.. GlobalFlags, .. args], env: Env);

    /// <summary>`podman run --rm --network none [flags] skiff-busybox cmd…` under our cgroup parent.</summary>
    public Result Run(string[] flags, params string[] command)
        => Podman(["run", "--rm", "--network", "none", "--cgroup-parent", CgroupParent, .. flags, Image, .. command]);

    public string CommandLine(params string[] args)
        => string.Join(' ', new[] { "/usr/bin/podman" }.Concat(GlobalFlags).Concat(args).Select(Command.Quote));

    public void Dispose()
    {
        Podman("rm", "--all", "--force", "--time", "0");
        HostCleanup.KillProcesses(Dir);
        HostCleanup.Unmount(Dir);
        HostCleanup.RemoveCgroups(CgroupParent);
        image?.Dispose();
        HostCleanup.RemoveTree(Dir);
    }
}
