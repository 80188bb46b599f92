namespace Skiff.Cli.Commands;

/// <summary>skiff port CONTAINER [PRIVATE_PORT[/PROTO]] — published ports as docker prints them ("80/tcp -> 0.0.0.0:8080").</summary>
public static class Port
{
    public static int Run(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, [], []);
        if (c.Positionals.Count is < 1 or > 2) throw new UsageException("port requires 1 or 2 arguments");
        var rec = ctx.Engine.Containers.Get(c.Positionals[0]);
        var ports = rec.NetworkSettings.Ports.Count > 0 || !rec.State.Running ? rec.NetworkSettings.Ports
            : (rec.HostConfig.PortBindings ?? []).ToDictionary(kv => kv.Key, kv => (List<Engine.Containers.PortBinding>?)kv.Value);
        if (c.Positionals.Count == 2)
        {
            var want = c.Positionals[1].Contains('/') ? c.Positionals[1] : c.Positionals[1] + "/tcp";
            if (!ports.TryGetValue(want, out var b) || b is null || b.Count == 0)
            {
                ctx.Err.WriteLine($"Error: No public port '{want}' published for {rec.PlainName}");
                return 1;
            }
            foreach (var x in b) ctx.Out.WriteLine(HostPort(x));
            return 0;
        }
        foreach (var (key, bindings) in ports.OrderBy(p => PortNumber(p.Key)).ThenBy(p => p.Key, StringComparer.Ordinal))
            foreach (var b in bindings ?? [])
                ctx.Out.WriteLine($"{key} -> {HostPort(b)}");
        return 0;
    }

    static int PortNumber(string key) => int.TryParse(key.Split('/')[0], out int n) ? n : 0;

    static string HostPort(Engine.Containers.PortBinding b)
    {
        var ip = string.IsNullOrEmpty(b.HostIp) ? "0.0.0.0" : b.HostIp;
        return ip.Contains(':') ? $"[{ip}]:{b.HostPort}" : $"{ip}:{b.HostPort}";
    }
}
