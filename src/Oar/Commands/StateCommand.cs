using Oar.Cli;
using Skiff.Linux;
using Skiff.Runtime.Cgroups;
using Skiff.Runtime.Container;
using Skiff.Runtime.Spec;

namespace Oar.Commands;

public static class StateCommand
{
    public static int Run(Context ctx, string[] argv, int start)
    {
        var a = Args.Parse(argv, start, new HashSet<string>(), new HashSet<string>(), "state");
        if (a.Positional.Count != 1) throw new UsageException("state: expects exactly one container id");
        Console.Out.Write(RecordJson.State(Describe(ctx.Store, a.Positional[0]), indented: true) + "\n");
        return 0;
    }

    public static ContainerStateJson Describe(StateStore store, string id)
    {
        var r = store.Load(id);
        var status = ContainerStatus.Of(r, store);
        return new ContainerStateJson
        {
            OciVersion = r.OciVersion, Id = r.Id, Pid = status == Status.Stopped ? 0 : r.Pid,
            Status = ContainerStatus.Name(status), Bundle = r.Bundle, Rootfs = r.Rootfs, Created = r.Created,
            Owner = r.Owner, Annotations = r.Annotations, OomKilled = OomKilled(r),
        };
    }

    /// <summary>Whether the OOM killer has struck in the container's cgroup (the cgroup lives until `delete`, so a
    /// stopped container still tells). An unreadable or vanished cgroup reports nothing rather than failing `state`.</summary>
    static bool OomKilled(ContainerRecord r)
    {
        if (r.CgroupsPath is null) return false;
        try { return CgroupManagers.Open(r.CgroupsPath).OomKills() > 0; }
        catch (Exception e) when (e is CgroupException or LinuxException or IOException or FormatException) { return false; }
    }
}
