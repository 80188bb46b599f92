namespace Skiff.Linux;

/// <summary>Namespace kinds: their OCI names, clone flags and /proc/&lt;pid&gt;/ns file names.</summary>
public static class Namespaces
{
    public const int CLONE_NEWTIME = 0x80, CLONE_NEWNS = 0x20000, CLONE_NEWCGROUP = 0x02000000,
        CLONE_NEWUTS = 0x04000000, CLONE_NEWIPC = 0x08000000, CLONE_NEWUSER = 0x10000000,
        CLONE_NEWPID = 0x20000000, CLONE_NEWNET = 0x40000000;

    /// <summary>OCI name → (clone flag, /proc/pid/ns entry). Order is the order namespaces are joined.</summary>
    public static readonly IReadOnlyList<(string Oci, int Flag, string ProcName)> Kinds =
    [
        ("user", CLONE_NEWUSER, "user"), ("ipc", CLONE_NEWIPC, "ipc"), ("uts", CLONE_NEWUTS, "uts"),
        ("network", CLONE_NEWNET, "net"), ("pid", CLONE_NEWPID, "pid"), ("mount", CLONE_NEWNS, "mnt"),
        ("cgroup", CLONE_NEWCGROUP, "cgroup"), ("time", CLONE_NEWTIME, "time"),
    ];

    public static int Flag(string ociName)
    {
        foreach (var k in Kinds) if (k.Oci == ociName) return k.Flag;
        return 0;
    }

    public static string ProcName(string ociName)
    {
        foreach (var k in Kinds) if (k.Oci == ociName) return k.ProcName;
        return ociName;
    }
}
