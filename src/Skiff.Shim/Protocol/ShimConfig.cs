namespace Skiff.Shim.Protocol;

/// <summary>
/// What one skiff-shim supervises: written by the engine to <c>&lt;container dir&gt;/shim.json</c>, read once by the
/// shim at start. Paths are absolute.
/// </summary>
public sealed class ShimConfig
{
    public string Id { get; set; } = "";
    public string BundlePath { get; set; } = "";
    /// <summary>The OCI runtime binary (oar, runc, crun, runsc): an absolute path.</summary>
    public string RuntimePath { get; set; } = "";
    /// <summary>The runtime's --root (its state directory).</summary>
    public string RuntimeRoot { get; set; } = "";
    /// <summary>Extra global arguments placed before the runtime's verb (e.g. --systemd-cgroup).</summary>
    public List<string> RuntimeArgs { get; set; } = [];
    public bool Terminal { get; set; }
    public bool OpenStdin { get; set; }
    public bool StdinOnce { get; set; }
    /// <summary>Initial pty size when <see cref="Terminal"/> (0 = leave the runtime's default).</summary>
    public int ConsoleRows { get; set; }
    public int ConsoleCols { get; set; }
    /// <summary>"json-file" or "none".</summary>
    public string LogDriver { get; set; } = "json-file";
    public string LogPath { get; set; } = "";
    /// <summary>Rotate when the log reaches this many bytes; 0 = never.</summary>
    public long LogMaxSize { get; set; }
    /// <summary>How many files to keep including the current one (docker's max-file); values below 1 mean 1.</summary>
    public int LogMaxFiles { get; set; } = 1;
    public string AttachSocketPath { get; set; } = "";
    public string ControlSocketPath { get; set; } = "";
    public string ExitPath { get; set; } = "";
    public string StatePath { get; set; } = "";
    public RestartPolicy RestartPolicy { get; set; } = new();
    /// <summary>Host ports the shim binds and holds while it lives, so nothing else takes them.</summary>
    public List<HeldPort> HeldPorts { get; set; } = [];
    /// <summary>Run once when the container has exited for good (no restart due), after the shim has written its final
    /// state — podman's exit command (conmon <c>--exit-command</c>). The engine sets it for --rm containers to
    /// <c>skiff … container cleanup --rm &lt;id&gt;</c>. argv[0] is an absolute path; stdio /dev/null, a new session, not
    /// waited for. Empty: nothing runs.</summary>
    public List<string> ExitCommand { get; set; } = [];
}

/// <summary>Docker's restart policy: "no", "on-failure" (with <see cref="MaximumRetryCount"/>, 0 = unlimited),
/// "always", "unless-stopped".</summary>
public sealed class RestartPolicy
{
    public string Name { get; set; } = "no";
    public int MaximumRetryCount { get; set; }
}

public sealed class HeldPort
{
    /// <summary>"tcp" or "udp".</summary>
    public string Proto { get; set; } = "tcp";
    /// <summary>An IPv4 or IPv6 literal; empty = all addresses (0.0.0.0).</summary>
    public string HostIp { get; set; } = "";
    public int HostPort { get; set; }
}
