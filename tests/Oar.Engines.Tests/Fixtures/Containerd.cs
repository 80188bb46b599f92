namespace Oar.Engines.Tests.Fixtures;

/// <summary>A containerd of our own: root, state, sockets and plugin dirs under <see cref="Dir"/>, the CRI plugin
/// off (no kubelet here).</summary>
public sealed class Containerd : IDisposable
{
    public string Dir { get; }
    public string Socket => Path.Combine(Dir, "containerd.sock");
    readonly Daemon daemon;

    public Containerd(string dir)
    {
        Dir = dir;
        Directory.CreateDirectory(dir);
        var config = Path.Combine(dir, "containerd.toml");
        File.WriteAllText(config, $"""
            version = 2
            root = "{dir}/root"
            state = "{dir}/state"
            disabled_plugins = ["io.containerd.grpc.v1.cri"]
            [grpc]
              address = "{Socket}"
            [plugins."io.containerd.internal.v1.opt"]
              path = "{dir}/opt"
            """);
        daemon = new Daemon("containerd", Path.Combine(dir, "containerd.log"), "containerd", "--config", config);
        daemon.WaitUntil(() => File.Exists(Socket) && Ctr("default", "version").ExitCode == 0, "serving on " + Socket);
    }

    public string Log => daemon.Log;

    public Result Ctr(string ns, params string[] args) => Command.Run("ctr", ["--address", Socket, "--namespace", ns, .. args]);

    /// <summary>Stops containerd, then removes what its shims left: shim processes (their command line names our
    /// socket), mounts under our dirs.</summary>
    public void Dispose()
    {
        daemon.Dispose();
        HostCleanup.KillProcesses(Socket);
        HostCleanup.Unmount(Dir);
    }
}
