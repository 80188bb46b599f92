
namespace Skiff.Runtime.Init;

/// <summary>What the parent tells the managed init besides config.json.</summary>
public sealed class InitOptions
{
    /// <summary>"create" (a new container's init) or "exec" (a process joining a running container).</summary>
    public string Kind { get; set; } = "create";
    public string Id { get; set; } = "";
    /// <summary>The fd (in init) of the connected console socket when process.terminal is set, else -1.</summary>
    public int ConsoleFd { get; set; } = -1;
    public string Bundle { get; set; } = "";
    public string Rootfs { get; set; } = "";
    public bool NoPivot { get; set; }
    public bool NoNewKeyring { get; set; }
    /// <summary>The fd (in init) of the exec fifo, opened O_RDWR by the parent; init blocks reading it until `start`.</summary>
    public int FifoFd { get; set; } = -1;
    /// <summary>Number of fds after stdio that the container keeps (--preserve-fds).</summary>
    public int PreserveFds { get; set; }
    /// <summary>A compiled seccomp filter follows config.json on the sync socket.</summary>
    public bool HasSeccomp { get; set; }
    /// <summary>The state JSON hooks running inside the container get on stdin.</summary>
    public string StateJson { get; set; } = "";
}

