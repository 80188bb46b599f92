using System.Diagnostics;
using Oar.Cli;
using Skiff.Runtime.Container;

namespace Oar.Commands;

/// <summary>`ps`: the container's processes; `-f json` prints the pids, the table runs ps(1) with the given
/// options (default -ef) and keeps the header and the container's lines.</summary>
public static class PsCommand
{
    public static int Run(Context ctx, string[] argv, int start)
    {
        var a = Args.Parse(argv, start, ["format", "f"], new HashSet<string>(), "ps");
        if (a.Positional.Count < 1) throw new UsageException("ps: usage: oar ps [-f table|json] <container-id> [ps options]");
        var record = ctx.Store.Load(a.Positional[0]);
        var pids = Pause.Manager(record).Pids();
        var format = a.Value("format", "f") ?? "table";
        if (format == "json") { Console.Out.Write("[" + string.Join(",", pids) + "]\n"); return 0; }
        if (format != "table") throw new UsageException($"ps: unknown format \"{format}\" (table or json)");
        var psArgs = a.Positional.Count > 1 ? a.Positional.Skip(1).ToArray() : ["-ef"];
        var psi = new ProcessStartInfo("ps", psArgs) { RedirectStandardOutput = true };
        using var p = Process.Start(psi) ?? throw new UsageException("ps: cannot run ps(1)");
        var lines = p.StandardOutput.ReadToEnd().Split('\n');
        p.WaitForExit();
        int pidColumn = Array.IndexOf(lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries), "PID");
        if (pidColumn < 0) throw new UsageException("ps: the ps options must print a PID column");
        var set = pids.ToHashSet();
        Console.Out.Write(lines[0] + "\n");
        foreach (var line in lines.Skip(1))
        {
            var cols = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (cols.Length > pidColumn && int.TryParse(cols[pidColumn], out int pid) && set.Contains(pid)) Console.Out.Write(line + "\n");
        }
        return 0;
    }
}
