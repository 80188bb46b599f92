using System.Globalization;
using System.Text.Json;
using Skiff.Engine.Runtimes;

namespace Skiff.Cli.Commands;

/// <summary>skiff info [--format T] — docker's info fields that apply to a daemonless engine.</summary>
public static class Info
{
    public static int Run(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, [], ["-f", "--format"]);
        var json = Collect(ctx);
        var format = c.Value("-f", "--format");
        if (format is not null) { ctx.Out.WriteLine(format is "json" ? json : InspectFormat.Render(format, System.Text.Encoding.UTF8.GetBytes(json), missingKeyIsError: false)); return 0; }
        using var doc = JsonDocument.Parse(json);
        var r = doc.RootElement;
        string S(string k) => r.GetProperty(k).ValueKind == JsonValueKind.String ? r.GetProperty(k).GetString()! : r.GetProperty(k).GetRawText();
        var o = ctx.Out;
        o.WriteLine("Client:");
        o.WriteLine($" Version:    {VersionCommand.SkiffVersion}");
        o.WriteLine(" Context:    default");
        o.WriteLine($" Debug Mode: {(ctx.Debug ? "true" : "false")}");
        o.WriteLine();
        o.WriteLine("Server:");
        o.WriteLine($" Containers: {S("Containers")}");
        o.WriteLine($"  Running: {S("ContainersRunning")}");
        o.WriteLine($"  Paused: {S("ContainersPaused")}");
        o.WriteLine($"  Stopped: {S("ContainersStopped")}");
        o.WriteLine($" Images: {S("Images")}");
        o.WriteLine($" Server Version: {S("ServerVersion")}");
        o.WriteLine($" Storage Driver: {S("Driver")}");
        o.WriteLine($" Logging Driver: {S("LoggingDriver")}");
        o.WriteLine($" Cgroup Driver: {S("CgroupDriver")}");
        o.WriteLine($" Cgroup Version: {S("CgroupVersion")}");
        o.WriteLine($" Runtimes: {string.Join(' ', r.GetProperty("Runtimes").EnumerateObject().Select(p => p.Name))}");
        o.WriteLine($" Default Runtime: {S("DefaultRuntime")}");
        o.WriteLine($" Kernel Version: {S("KernelVersion")}");
        o.WriteLine($" Operating System: {S("OperatingSystem")}");
        o.WriteLine($" OSType: {S("OSType")}");
        o.WriteLine($" Architecture: {S("Architecture")}");
        o.WriteLine($" CPUs: {S("NCPU")}");
        o.WriteLine($" Total Memory: {StatsCommand.Binary(r.GetProperty("MemTotal").GetUInt64())}");
        o.WriteLine($" Name: {S("Name")}");
        o.WriteLine($" Docker Root Dir: {S("DockerRootDir")}");
        o.WriteLine($" Debug Mode: {(ctx.Debug ? "true" : "false")}");
        return 0;
    }

    /// <summary>The info object with docker's field names (for --format and `skiff serve`).</summary>
    public static string Collect(Context ctx)
    {
        var containers = ctx.Engine.Containers.List();
        int running = containers.Count(x => x.State.Running && !x.State.Paused), paused = containers.Count(x => x.State.Paused);
        int images = ctx.Images.Images.List().Select(i => i.Target.Digest).Distinct().Count();
        var layout = Runtime.Cgroups.CgroupLayout.Host;
        var runtimes = new List<(string Name, string Path)>();
        foreach (var name in new[] { "oar", "runc", "crun", "runsc" })
        {
            try { runtimes.Add((name, RuntimeLocator.Find(name))); }
            catch (Exception e) when (e is Engine.EngineException or IOException or InvalidOperationException) { }
        }
        return Json.Object(w =>
        {
            w.WriteString("ID", MachineId());
            w.WriteNumber("Containers", containers.Count);
            w.WriteNumber("ContainersRunning", running);
            w.WriteNumber("ContainersPaused", paused);
            w.WriteNumber("ContainersStopped", containers.Count - running - paused);
            w.WriteNumber("Images", images);
            w.WriteString("Driver", ctx.Images.Snapshots.Name);
            w.WriteString("LoggingDriver", "json-file");
            w.WriteString("CgroupDriver", "cgroupfs");
            w.WriteString("CgroupVersion", layout.Mode == Runtime.Cgroups.CgroupMode.Unified ? "2" : "1");
            w.WriteString("KernelVersion", File.ReadAllText("/proc/sys/kernel/osrelease").Trim());
            w.WriteString("OperatingSystem", OsName());
            w.WriteString("OSType", "linux");
            w.WriteString("Architecture", System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
            {
                System.Runtime.InteropServices.Architecture.X64 => "x86_64",
                System.Runtime.InteropServices.Architecture.Arm64 => "aarch64",
                var a => a.ToString().ToLowerInvariant(),
            });
            w.WriteNumber("NCPU", Environment.ProcessorCount);
            w.WriteNumber("MemTotal", MemTotal());
            w.WriteString("Name", Environment.MachineName);
            w.WriteString("ServerVersion", VersionCommand.SkiffVersion);
            w.WriteString("DockerRootDir", ctx.Engine.Roots.DataRoot);
            w.WriteStartObject("Runtimes");
            foreach (var (n, p) in runtimes) { w.WriteStartObject(n); w.WriteString("path", p); w.WriteEndObject(); }
            w.WriteEndObject();
            w.WriteString("DefaultRuntime", RuntimeLocator.Default);
        });
    }

    static ulong MemTotal()
    {
        foreach (var line in File.ReadLines("/proc/meminfo"))
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
                return ulong.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        return 0;
    }

    static string OsName()
    {
        try
        {
            foreach (var line in File.ReadLines("/etc/os-release"))
                if (line.StartsWith("PRETTY_NAME=", StringComparison.Ordinal)) return line[12..].Trim('"');
        }
        catch (IOException) { }
        return "linux";
    }

    static string MachineId()
    {
        try { return File.ReadAllText("/etc/machine-id").Trim(); }
        catch (IOException) { return ""; }
    }
}
