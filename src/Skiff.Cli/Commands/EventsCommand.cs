using Skiff.Engine.Events;
using Skiff.Engine.Time;

namespace Skiff.Cli.Commands;

/// <summary>skiff events [--since T] [--until T] [--filter k=v]... [--format TEMPLATE|json] — past events from --since,
/// then new ones as they happen until --until passes (or forever when no --until).</summary>
public static class EventsCommand
{
    public static int Run(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, [], ["--since", "--until", "-f", "--filter", "--format"]);
        if (c.Positionals.Count > 0) throw new UsageException("events accepts no arguments");
        var now = Timestamp.Now;
        var since = c.Value("--since") is { } s ? Logs.Parse(s, "--since") : now;
        var until = c.Value("--until") is { } u ? Logs.Parse(u, "--until") : Timestamp.MaxValue;
        EventFilter filter;
        try { filter = EventFilter.Parse(c.Values("-f").Concat(c.Values("--filter"))); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
        var format = c.Value("--format");
        bool follow = c.Value("--until") is null || until > now;
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
        ctx.Engine.Events.Read(since, until, filter, follow, e =>
        {
            var line = format switch
            {
                null => e.ToText(),
                "json" or "{{json .}}" => System.Text.Encoding.UTF8.GetString(e.ToJson()),
                _ => InspectFormat.Render(format, e.ToJson(), missingKeyIsError: false),
            };
            ctx.Out.WriteLine(line);
            ctx.Out.Flush();
        }, cancel.Token);
        return 0;
    }
}
