using Skiff.Engine.Logs;
using Skiff.Engine.Time;

namespace Skiff.Cli.Commands;

/// <summary>skiff logs [-f] [--tail N|all] [--since T] [--until T] [-t] [--details] CONTAINER — stdout records to
/// stdout, stderr records to stderr; follow ends when the container has stopped and its log is drained.</summary>
public static class Logs
{
    public static int Run(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, ["-f", "--follow", "-t", "--timestamps", "--details"], ["--tail", "-n", "--since", "--until"]);
        if (c.Positionals.Count != 1) throw new UsageException("logs requires exactly 1 argument");
        var rec = ctx.Engine.Containers.Get(c.Positionals[0]);
        if (rec.HostConfig.LogConfig.Type is "none")
            throw new Engine.EngineException(Engine.EngineErrorKind.InvalidArgument, "configured logging driver does not support reading");
        var options = new LogOptions
        {
            Follow = c.Has("-f", "--follow"),
            Tail = Tail(c.Value("--tail", "-n")),
            Since = c.Value("--since") is { } s ? Parse(s, "--since") : Timestamp.MinValue,
            Until = c.Value("--until") is { } u ? Parse(u, "--until") : Timestamp.MaxValue,
        };
        bool stamps = c.Has("-t", "--timestamps");
        using var stdout = Console.OpenStandardOutput();
        using var stderr = Console.OpenStandardError();
        var id = rec.Id;
        new LogReader(rec.LogPath).Read(options, e =>
        {
            var text = stamps ? e.Time.ToRfc3339NanoFixed() + " " + e.Text : e.Text;
            var bytes = System.Text.Encoding.UTF8.GetBytes(text);
            var o = e.IsStderr ? stderr : stdout;
            o.Write(bytes);
            o.Flush();
        }, () => IsRunning(ctx, id));
        return 0;
    }

    static bool IsRunning(Context ctx, string id)
    {
        try
        {
            var r = ctx.Engine.Containers.Get(id);
            return r.State.Running || r.State.Restarting || r.State.Paused;
        }
        catch (Engine.EngineException) { return false; }
    }

    static int? Tail(string? v)
    {
        if (v is null or "all") return null;
        if (int.TryParse(v, out int n)) return n < 0 ? null : n;
        throw new UsageException($"invalid value for --tail: \"{v}\" (a number or \"all\")");
    }

    internal static Timestamp Parse(string v, string flag)
    {
        try { return TimeArgument.Parse(v, flag); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
    }
}
