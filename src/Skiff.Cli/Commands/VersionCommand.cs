using System.Runtime.InteropServices;

namespace Skiff.Cli.Commands;

/// <summary>skiff version [--format T] — docker's Client/Server layout; the "Go version" field carries the .NET version.</summary>
public static class VersionCommand
{
    public const string SkiffVersion = "0.1.0";
    /// <summary>The Docker Engine API version `skiff serve` speaks.</summary>
    public const string ApiVersion = "1.47", MinApiVersion = "1.24";

    public static int Run(Context ctx, List<string> args)
    {
        var c = CommandLine.Parse(args, [], ["-f", "--format"]);
        var json = Collect(ctx);
        var format = c.Value("-f", "--format");
        if (format is not null) { ctx.Out.WriteLine(format == "json" ? json : InspectFormat.Render(format, System.Text.Encoding.UTF8.GetBytes(json), missingKeyIsError: false)); return 0; }
        var o = ctx.Out;
        string arch = Arch();
        o.WriteLine("Client:");
        o.WriteLine($" Version:           {SkiffVersion}");
        o.WriteLine($" API version:       {ApiVersion}");
        o.WriteLine($" .NET version:      {RuntimeInformation.FrameworkDescription}");
        o.WriteLine($" OS/Arch:           linux/{arch}");
        o.WriteLine(" Context:           default");
        o.WriteLine();
        o.WriteLine("Server: Skiff Engine (daemonless, in-process)");
        o.WriteLine(" Engine:");
        o.WriteLine($"  Version:          {SkiffVersion}");
        o.WriteLine($"  API version:      {ApiVersion} (minimum version {MinApiVersion})");
        o.WriteLine($"  .NET version:     {RuntimeInformation.FrameworkDescription}");
        o.WriteLine($"  OS/Arch:          linux/{arch}");
        o.WriteLine($"  Kernel Version:   {Kernel()}");
        o.WriteLine("  Experimental:     false");
        o.WriteLine($" {Engine.Runtimes.RuntimeLocator.Default}:");
        o.WriteLine($"  Version:          {OarVersion() ?? "not found"}");
        return 0;
    }

    static string Collect(Context ctx) => Json.Object(w =>
    {
        w.WriteStartObject("Client");
        w.WriteString("Version", SkiffVersion);
        w.WriteString("ApiVersion", ApiVersion);
        w.WriteString("GoVersion", RuntimeInformation.FrameworkDescription);
        w.WriteString("Os", "linux");
        w.WriteString("Arch", Arch());
        w.WriteEndObject();
        w.WriteStartObject("Server");
        w.WriteString("Version", SkiffVersion);
        w.WriteString("ApiVersion", ApiVersion);
        w.WriteString("MinAPIVersion", MinApiVersion);
        w.WriteString("GoVersion", RuntimeInformation.FrameworkDescription);
        w.WriteString("Os", "linux");
        w.WriteString("Arch", Arch());
        w.WriteString("KernelVersion", Kernel());
        w.WriteEndObject();
    });

    /// <summary>GOARCH names, as docker prints them.</summary>
    static string Arch() => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64", Architecture.Arm64 => "arm64", Architecture.Arm => "arm",
        var a => a.ToString().ToLowerInvariant(),
    };

    static string Kernel() => File.ReadAllText("/proc/sys/kernel/osrelease").Trim();

    static string? OarVersion()
    {
        try
        {
            var path = Engine.Runtimes.RuntimeLocator.Find(Engine.Runtimes.RuntimeLocator.Default);
            var psi = new System.Diagnostics.ProcessStartInfo(path, "--version") { RedirectStandardOutput = true, UseShellExecute = false };
            using var p = System.Diagnostics.Process.Start(psi)!;
            var first = p.StandardOutput.ReadLine();
            p.WaitForExit(5000);
            return first;
        }
        catch (Exception) { return null; }
    }
}
