using Skiff.Engine.Stats;

namespace Skiff.Cli.Commands;

/// <summary>skiff top CONTAINER — the container's processes in ps -ef's columns (docker's default).</summary>
public static class Top
{
    public static int Run(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, [], []);
        if (c.Positionals.Count < 1) throw new UsageException("top requires at least 1 argument");
        if (c.Positionals.Count > 1 && c.Positionals[1..].Any(a => a is not ("-ef" or "-e" or "-f")))
            throw new UsageException("top: only the default ps columns (-ef) are supported");
        var (rec, cgroup) = ctx.Engine.Containers.RunningCgroup(c.Positionals[0]);
        var pids = Runtime.Cgroups.CgroupManagers.Open(cgroup).Pids();
        var rows = new List<string[]> { ProcessTable.Titles };
        rows.AddRange(ProcessTable.Rows(pids));
        Table.Write(ctx.Out, rows);
        return 0;
    }
}
