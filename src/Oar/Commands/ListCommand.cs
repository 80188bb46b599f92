using System.Text.Json;
using Oar.Cli;
using Skiff.Runtime.Container;
using Skiff.Runtime.Spec;

namespace Oar.Commands;

public static class ListCommand
{
    public static int Run(Context ctx, string[] argv, int start)
    {
        var a = Args.Parse(argv, start, ["format", "f"], ["quiet", "q"], "list");
        var items = new List<ContainerStateJson>();
        foreach (var id in ctx.Store.Ids().Order())
        {
            try { items.Add(StateCommand.Describe(ctx.Store, id)); }
            catch (Exception e) when (e is IOException or JsonException) { ctx.Log.Warn($"list: {id}: {e.Message}"); }
        }
        if (a.Has("quiet", "q")) { foreach (var s in items) Console.Out.Write(s.Id + "\n"); return 0; }
        var format = a.Value("format", "f") ?? "table";
        if (format == "json") { Console.Out.Write(RecordJson.StateList(items) + "\n"); return 0; }
        if (format != "table") throw new UsageException($"list: unknown format \"{format}\" (table or json)");
        var rows = new List<string[]> { new[] { "ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER" } };
        foreach (var s in items) rows.Add([s.Id, s.Pid.ToString(), s.Status, s.Bundle, s.Created ?? "", s.Owner ?? ""]);
        var widths = Enumerable.Range(0, 6).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var r in rows)
            Console.Out.Write(string.Join("   ", r.Select((v, c) => c == 5 ? v : v.PadRight(widths[c]))).TrimEnd() + "\n");
        return 0;
    }
}
