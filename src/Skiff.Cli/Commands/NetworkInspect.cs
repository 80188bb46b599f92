using System.Text.Json;
using Skiff.Engine;
using Skiff.Engine.Networking;

namespace Skiff.Cli.Commands;

/// <summary>skiff network inspect NETWORK...: docker's NetworkResource JSON, one array for all of them.</summary>
public static class NetworkInspect
{
    public static int Run(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, ["-v", "--verbose"], ["-f", "--format"]);
        if (c.Positionals.Count == 0) throw new UsageException("\"network inspect\" requires at least 1 argument");
        var format = c.Value("-f", "--format");
        using var net = NetworkCommand.Open(ctx);
        var found = new List<NetworkInfo>();
        int rc = 0;
        foreach (var name in c.Positionals)
        {
            try { found.Add(net.Get(name)); }
            catch (EngineException e) when (e.Kind == EngineErrorKind.NotFound)
            {
                ctx.Err.WriteLine($"Error response from daemon: {e.Message}");
                rc = 1;
            }
        }
        if (format is null) ctx.Out.WriteLine(JsonSerializer.Serialize(found, NetworkJson.Default.ListNetworkInfo));
        else if (format is "json" or "{{json .}}")
            foreach (var n in found) ctx.Out.WriteLine(JsonSerializer.Serialize(n, NetworkJsonCompact.Default.NetworkInfo));
        else
            foreach (var n in found) ctx.Out.WriteLine(InspectFormat.Render(format, JsonSerializer.SerializeToUtf8Bytes(n, NetworkJsonCompact.Default.NetworkInfo)));
        return rc;
    }
}
